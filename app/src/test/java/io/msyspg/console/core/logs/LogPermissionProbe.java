package io.msyspg.console.core.logs;

import io.msyspg.console.core.common.ConsoleException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run as another OS user by {@link LogPermissionTest}: opens a log path the way the LOGS view's model does
 * (LocalLogSource.open, list, LogOpener.choose, LogFollower.poll) and prints what the view would show:
 * "PROBLEM <message>" for a failure, "STATUS <status line>" otherwise. With a second argument it then waits for
 * that file to appear and polls again (the log became unreadable while followed).
 */
public final class LogPermissionProbe {
    public static void main(String[] args) throws Exception {
        LogFollower f = null;
        LogDocument d = null;
        try {
            LocalLogSource s = LocalLogSource.open(Path.of(args[0]));
            try {
                s.list();
            } catch (ConsoleException e) {
                if (!s.isSingleFile()) throw e;
            }
            LogOpener.Choice c = LogOpener.choose(s, null, null, null);
            d = new LogDocument(s, c.format(), c.prefix());
            f = new LogFollower(s, d);
            f.poll();
            System.out.println("STATUS " + d.status() + " | records " + d.index().size());
        } catch (Exception e) {
            System.out.println("PROBLEM " + ConsoleException.userMessage(e));
        }
        System.out.flush();
        if (args.length > 1 && f != null) {
            Path go = Path.of(args[1]);
            long deadline = System.currentTimeMillis() + 30_000;
            while (!Files.exists(go) && System.currentTimeMillis() < deadline) Thread.sleep(20);
            try {
                f.poll();
                System.out.println("STATUS " + d.status() + " | records " + d.index().size());
            } catch (Exception e) {
                System.out.println("PROBLEM " + ConsoleException.userMessage(e));
            }
        }
    }
}
