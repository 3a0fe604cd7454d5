import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.File;

/**
 * Renders the msyspg-console application icon (a database cylinder with a console prompt) as PNG files.
 * Run once when the design changes, and commit the output:
 * {@code java -Djava.awt.headless=true packaging/src/icon/RenderIcon.java OUTDIR 256 128 48 32}
 */
public final class RenderIcon {
    public static void main(String[] args) throws Exception {
        File out = new File(args[0]);
        out.mkdirs();
        for (int i = 1; i < args.length; i++) {
            int size = Integer.parseInt(args[i]);
            ImageIO.write(render(size), "png", new File(out, "msyspg-console-" + size + ".png"));
        }
    }

    static BufferedImage render(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.scale(size / 256.0, size / 256.0);

        // tile: rounded square, blue gradient
        g.setPaint(new GradientPaint(0, 8, new Color(0x3B82C4), 0, 248, new Color(0x1E4E8C)));
        g.fill(new RoundRectangle2D.Double(8, 8, 240, 240, 52, 52));

        // database cylinder: body, three bands, top ellipse
        double x = 52, w = 128, top = 52, h = 132, eh = 36;
        Color white = new Color(0xF4F8FC);
        Area body = new Area(new Rectangle2D.Double(x, top + eh / 2, w, h - eh));
        body.add(new Area(new Ellipse2D.Double(x, top + h - eh, w, eh)));
        body.add(new Area(new Ellipse2D.Double(x, top, w, eh)));
        g.setColor(white);
        g.fill(body);
        g.setColor(new Color(0x2B66A6));
        g.setStroke(new BasicStroke(7f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int band = 1; band <= 2; band++) {
            double y = top + band * (h - eh) / 3.0;
            g.draw(new java.awt.geom.Arc2D.Double(x + 3, y, w - 6, eh, 180, 180, java.awt.geom.Arc2D.OPEN));
        }
        g.setColor(new Color(0xD5E4F3));
        g.fill(new Ellipse2D.Double(x + 8, top + 5, w - 16, eh - 10));

        // console badge: dark rounded rectangle with a ">_" prompt
        g.setColor(new Color(0x0F2540));
        g.fill(new RoundRectangle2D.Double(124, 138, 104, 80, 22, 22));
        g.setColor(new Color(0xF4F8FC));
        g.setStroke(new BasicStroke(10f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        java.awt.geom.Path2D chevron = new java.awt.geom.Path2D.Double();
        chevron.moveTo(144, 160);
        chevron.lineTo(166, 178);
        chevron.lineTo(144, 196);
        g.draw(chevron);
        g.setColor(new Color(0x7CD992));
        g.draw(new java.awt.geom.Line2D.Double(178, 197, 206, 197));
        g.dispose();
        return img;
    }
}
