package io.curriculum.app.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The embedded broker's self-signed TLS certificate, made at its first start with TLS by the JDK's {@code keytool} (the
 * JDK has no public API that issues a certificate; no OpenSSL): an RSA key and a certificate for {@code 127.0.0.1} and
 * {@code localhost}, valid ten years, in {@code keystore.p12}, and the certificate alone in {@code truststore.p12}, which
 * every client of the broker trusts. Both live in the broker's data directory (its {@code tls} folder) and are kept across
 * restarts, so clients elsewhere can be given the truststore once. The keystore's password is drawn at random and written
 * beside it, readable by the owner only; the truststore's beside it too (a truststore holds no secret).
 *
 * @param keystore           the broker's key and certificate (PKCS12)
 * @param keystorePassword   its password
 * @param truststore         the certificate alone (PKCS12), for the clients
 * @param truststorePassword its password
 */
public record BrokerCertificate(Path keystore, String keystorePassword, Path truststore, String truststorePassword) {

    private static final String ALIAS = "broker";

    /** The certificate in {@code dir}, made first if {@code dir} holds none. */
    public static BrokerCertificate ensure(final Path dir) {
        final Path keystore = dir.resolve("keystore.p12");
        final Path truststore = dir.resolve("truststore.p12");
        final Path keystorePassword = dir.resolve("keystore.password");
        final Path truststorePassword = dir.resolve("truststore.password");
        try {
            if (!Files.exists(truststore)) {
                Files.createDirectories(dir);
                Files.deleteIfExists(keystore); // a first start that died half-way
                final String keyPassword = BrokerSecurity.randomPassword();
                final String trustPassword = BrokerSecurity.randomPassword();
                writeOwnerOnly(keystorePassword, keyPassword);
                final Path certificate = dir.resolve("broker.crt");
                keytool(dir, "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650",
                        "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                        "-keystore", keystore.toString(), "-storepass", keyPassword);
                keytool(dir, "-exportcert", "-rfc", "-alias", ALIAS, "-keystore", keystore.toString(), "-storepass", keyPassword,
                        "-file", certificate.toString());
                final Path partial = dir.resolve("truststore.p12.part");
                Files.deleteIfExists(partial);
                keytool(dir, "-importcert", "-noprompt", "-alias", ALIAS, "-file", certificate.toString(), "-storetype", "PKCS12",
                        "-keystore", partial.toString(), "-storepass", trustPassword);
                Files.writeString(truststorePassword, trustPassword, StandardCharsets.UTF_8);
                Files.move(partial, truststore);
            }
            return new BrokerCertificate(keystore, Files.readString(keystorePassword, StandardCharsets.UTF_8).trim(), truststore,
                    Files.readString(truststorePassword, StandardCharsets.UTF_8).trim());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot make the broker's TLS certificate in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void writeOwnerOnly(final Path file, final String text) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static void keytool(final Path dir, final String... args) throws IOException {
        final Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        final Path log = dir.resolve("keytool.log");
        final List<String> command = new ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool " + args[0] + " did not finish within 60 s");
            }
        } catch (final InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool " + args[0] + " ran", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed (exit " + process.exitValue() + "): " + Files.readString(log));
        }
    }
}
