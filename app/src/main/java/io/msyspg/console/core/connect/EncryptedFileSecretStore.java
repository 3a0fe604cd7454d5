package io.msyspg.console.core.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.common.FilePermissions;
import io.msyspg.console.core.settings.SettingsStore;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Passwords in one file ({@code secrets.json} in the config directory, owner-only), each encrypted with
 * AES-256-GCM under a key derived from a master password by PBKDF2-HMAC-SHA256 (600,000 iterations, the
 * OWASP 2023 figure; the strongest KDF the JDK ships). Random 16-byte salt per file, random 12-byte nonce
 * per value, the entry name as associated data (a value cannot be moved to another profile). A check
 * value tells a wrong master password from a damaged file. The master password and the derived key live
 * only in memory; entries can be deleted without unlocking.
 */
public final class EncryptedFileSecretStore implements SecretStore {
    public static final int DEFAULT_ITERATIONS = 600_000;
    private static final String CHECK = "msyspg-console secret store";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The file's content (public fields for Jackson). */
    public static final class FileModel {
        public int version = 1;
        public String kdf = "PBKDF2WithHmacSHA256";
        public int iterations = DEFAULT_ITERATIONS;
        public String salt;
        public String check;
        public TreeMap<String, String> entries = new TreeMap<>();
    }

    private final Path file;
    private final int iterationsForNewFile;
    private final ObjectMapper mapper = SettingsStore.mapper();
    private volatile SecretKey key;

    public EncryptedFileSecretStore(Path file) {
        this(file, DEFAULT_ITERATIONS);
    }

    EncryptedFileSecretStore(Path file, int iterationsForNewFile) {
        this.file = file;
        this.iterationsForNewFile = iterationsForNewFile;
    }

    public static EncryptedFileSecretStore open(AppDirs dirs) {
        return new EncryptedFileSecretStore(dirs.config().resolve("secrets.json"));
    }

    public Path file() { return file; }

    @Override public String name() { return "encrypted file"; }

    @Override public boolean available() { return true; }

    @Override public String unavailableReason() { return null; }

    /** True when the file exists (a master password was chosen before). */
    public boolean exists() { return Files.isRegularFile(file); }

    public boolean isUnlocked() { return key != null; }

    public void lock() { key = null; }

    /**
     * Derives the key (slow on purpose: run it off the FX thread). Creates the file when there is none, with
     * this as its master password. A wrong password throws; the caller keeps and clears {@code master}.
     */
    public synchronized void unlock(char[] master) {
        if (master == null || master.length == 0) throw new ConsoleException("The master password is empty.");
        FileModel m = read();
        if (m == null) {
            m = new FileModel();
            m.iterations = iterationsForNewFile;
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            m.salt = Base64.getEncoder().encodeToString(salt);
            SecretKey k = derive(master, salt, m.iterations);
            m.check = encrypt(k, "check", CHECK.getBytes(StandardCharsets.UTF_8));
            write(m);
            key = k;
            return;
        }
        SecretKey k = derive(master, Base64.getDecoder().decode(m.salt), m.iterations);
        try {
            byte[] c = decrypt(k, "check", m.check);
            if (!CHECK.equals(new String(c, StandardCharsets.UTF_8))) throw new ConsoleException("The secret store " + file + " is damaged.");
        } catch (AEADBadTagException e) {
            throw new ConsoleException("Wrong master password for the console's secret store " + file + ".");
        }
        key = k;
    }

    @Override public synchronized Optional<char[]> get(String name) {
        SecretKey k = requireKey();
        FileModel m = read();
        if (m == null || !m.entries.containsKey(name)) return Optional.empty();
        try {
            byte[] plain = decrypt(k, name, m.entries.get(name));
            CharBuffer cb = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(plain));
            char[] out = Arrays.copyOf(cb.array(), cb.limit());
            Arrays.fill(plain, (byte) 0);
            Arrays.fill(cb.array(), '\0');
            return Optional.of(out);
        } catch (AEADBadTagException e) {
            throw new ConsoleException("The stored password '" + name + "' in " + file + " cannot be decrypted (the file was changed).");
        }
    }

    @Override public synchronized void put(String name, char[] secret) {
        SecretKey k = requireKey();
        FileModel m = read();
        if (m == null) throw new ConsoleException("The secret store " + file + " disappeared; unlock it again to recreate it.");
        ByteBuffer bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(secret));
        byte[] plain = Arrays.copyOf(bb.array(), bb.limit());
        Arrays.fill(bb.array(), (byte) 0);
        m.entries.put(name, encrypt(k, name, plain));
        Arrays.fill(plain, (byte) 0);
        write(m);
    }

    @Override public synchronized void delete(String name) {
        FileModel m = read();
        if (m != null && m.entries.remove(name) != null) write(m);
    }

    private SecretKey requireKey() {
        SecretKey k = key;
        if (k == null) throw new ConsoleException("The console's secret store is locked; enter the master password first.");
        return k;
    }

    private static SecretKey derive(char[] master, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(master, salt, iterations, 256);
        try {
            byte[] raw = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            SecretKey k = new SecretKeySpec(raw, "AES");
            Arrays.fill(raw, (byte) 0);
            return k;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static String encrypt(SecretKey k, String aad, byte[] plain) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, nonce));
            c.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plain);
            byte[] out = new byte[12 + ct.length];
            System.arraycopy(nonce, 0, out, 0, 12);
            System.arraycopy(ct, 0, out, 12, ct.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    private static byte[] decrypt(SecretKey k, String aad, String b64) throws AEADBadTagException {
        try {
            byte[] all = Base64.getDecoder().decode(b64);
            if (all.length < 12 + 16) throw new AEADBadTagException("too short");
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(128, all, 0, 12));
            c.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(all, 12, all.length - 12);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new AEADBadTagException(e.getMessage());
        }
    }

    private FileModel read() {
        if (!Files.exists(file)) return null;
        try {
            FileModel m = mapper.readValue(file.toFile(), FileModel.class);
            if (m.salt == null || m.check == null) throw new IOException("salt or check value missing");
            if (m.entries == null) m.entries = new TreeMap<>();
            return m;
        } catch (IOException e) {
            throw new ConsoleException("The console's secret store " + file + " cannot be read ("
                    + e.getMessage().lines().findFirst().orElse("") + "); move it aside to start a new one.", e);
        }
    }

    private void write(FileModel m) {
        try {
            AppDirs.ensure(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp);
            FilePermissions.ownerOnly(tmp);
            mapper.writeValue(tmp.toFile(), m);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            FilePermissions.ownerOnly(file);
        } catch (IOException e) {
            throw new ConsoleException("Could not write the secret store " + file + ": " + e.getMessage(), e);
        }
    }
}
