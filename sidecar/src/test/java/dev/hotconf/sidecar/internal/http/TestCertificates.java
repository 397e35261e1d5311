package dev.hotconf.sidecar.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates for 127.0.0.1 and localhost made by the JDK's keytool (a real child
 * process), written as PEM files the way certificate tools hand them over; and a client context
 * that trusts exactly that certificate.
 */
public final class TestCertificates {
  private static final char[] PASSWORD = "changeit".toCharArray();

  /** The PEM files of one key pair and the keystore they came from. */
  public record Pair(Path cert, Path key, Path keyStore) {
    /** A client TLS context trusting this certificate only. */
    public SSLContext clientContext() throws Exception {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("server", load().getCertificate("s"));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    }

    KeyStore load() throws Exception {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keyStore)) {
        ks.load(in, PASSWORD);
      }
      return ks;
    }

    /** The key's PKCS#8 DER. */
    byte[] pkcs8() throws Exception {
      return ((PrivateKey) load().getKey("s", PASSWORD)).getEncoded();
    }
  }

  private static final Map<String, Pair> SHARED = new HashMap<>();

  private TestCertificates() {}

  /**
   * A pair of {@code keyAlg} made once per test JVM (keytool is a JVM start each time), in a folder
   * deleted at exit. Do not change its files.
   */
  public static synchronized Pair shared(String keyAlg) throws Exception {
    Pair p = SHARED.get(keyAlg);
    if (p == null) {
      Path dir = Files.createTempDirectory("hotconf-test-tls");
      p = make(dir, keyAlg.toLowerCase(java.util.Locale.ROOT), keyAlg);
      for (Path f : new Path[] {p.keyStore(), p.key(), p.cert(), dir}) {
        f.toFile().deleteOnExit(); // registered in this order: deleted in reverse (files first)
      }
      SHARED.put(keyAlg, p);
    }
    return p;
  }

  /**
   * {@code keyAlg}: RSA, EC or Ed25519. The key is written as PKCS#8 ({@code BEGIN PRIVATE KEY}).
   */
  public static Pair make(Path dir, String name, String keyAlg) throws Exception {
    Path ks = dir.resolve(name + ".p12");
    String[] size =
        switch (keyAlg) {
          case "RSA" -> new String[] {"-keysize", "2048"};
          case "EC" -> new String[] {"-groupname", "secp256r1"};
          default -> new String[0];
        };
    String[] base = {
      Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
      "-genkeypair",
      "-alias",
      "s",
      "-keyalg",
      keyAlg,
      "-validity",
      "2",
      "-dname",
      "CN=localhost",
      "-ext",
      "SAN=ip:127.0.0.1,dns:localhost",
      "-keystore",
      ks.toString(),
      "-storetype",
      "PKCS12",
      "-storepass",
      "changeit",
      "-keypass",
      "changeit"
    };
    String[] cmd = Arrays.copyOf(base, base.length + size.length);
    System.arraycopy(size, 0, cmd, base.length, size.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool failed: " + out);
    }
    Pair pair = new Pair(dir.resolve(name + ".crt"), dir.resolve(name + ".key"), ks);
    Certificate cert = pair.load().getCertificate("s");
    Files.writeString(pair.cert(), pem("CERTIFICATE", cert.getEncoded()));
    Files.writeString(pair.key(), pem("PRIVATE KEY", pair.pkcs8()));
    return pair;
  }

  public static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /** The inner key of a PKCS#8 PrivateKeyInfo: PKCS#1 for RSA, SEC1 for EC. */
  public static byte[] innerKey(byte[] pkcs8) {
    int[] outer = tlv(pkcs8, 0); // SEQUENCE
    int at = outer[0];
    int[] version = tlv(pkcs8, at);
    at = version[0] + version[1];
    int[] algorithm = tlv(pkcs8, at);
    at = algorithm[0] + algorithm[1];
    int[] key = tlv(pkcs8, at); // OCTET STRING
    return Arrays.copyOfRange(pkcs8, key[0], key[0] + key[1]);
  }

  private static int[] tlv(byte[] der, int at) {
    int len = der[at + 1] & 0xFF;
    int offset = at + 2;
    if (len >= 0x80) {
      int n = len & 0x7F;
      len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (der[offset + i] & 0xFF);
      }
      offset += n;
    }
    return new int[] {offset, len};
  }
}
