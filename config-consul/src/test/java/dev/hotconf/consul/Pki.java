package dev.hotconf.consul;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test certificates made with the JDK's keytool at test time: a self-signed server certificate for
 * 127.0.0.1/localhost (which is its own CA), and self-signed client identities (EC and RSA) as
 * PKCS#12 key stores and as PEM certificate + PEM key files. Created once per JVM.
 */
record Pki(
    Path dir,
    Path serverP12,
    Path caPem,
    Path clientP12,
    Path clientCertPem,
    Path clientKeyPem,
    Path clientSec1KeyPem,
    Path rsaP12,
    Path rsaCertPem,
    Path rsaPkcs1KeyPem) {
  static final char[] PASSWORD = "changeit".toCharArray();
  private static Pki shared;

  static synchronized Pki shared() throws Exception {
    if (shared == null) {
      Path dir = Files.createTempDirectory("hotconf-consul-pki");
      dir.toFile().deleteOnExit();
      shared = create(dir);
    }
    return shared;
  }

  static Pki create(Path dir) throws Exception {
    Path server = dir.resolve("server.p12");
    Path client = dir.resolve("client.p12");
    Path rsa = dir.resolve("rsa.p12");
    List<Process> generating = new ArrayList<>();
    generating.add(
        keytool(
            "-genkeypair",
            "-alias",
            "server",
            "-keyalg",
            "EC",
            "-groupname",
            "secp256r1",
            "-dname",
            "CN=localhost",
            "-ext",
            "SAN=ip:127.0.0.1,dns:localhost",
            "-validity",
            "2",
            "-keystore",
            server.toString()));
    generating.add(
        keytool(
            "-genkeypair",
            "-alias",
            "client",
            "-keyalg",
            "EC",
            "-groupname",
            "secp256r1",
            "-dname",
            "CN=hotconf-client",
            "-validity",
            "2",
            "-keystore",
            client.toString()));
    generating.add(
        keytool(
            "-genkeypair",
            "-alias",
            "rsa",
            "-keyalg",
            "RSA",
            "-keysize",
            "2048",
            "-dname",
            "CN=hotconf-rsa-client",
            "-validity",
            "2",
            "-keystore",
            rsa.toString()));
    for (Process p : generating) {
      finish(p);
    }
    Path caPem = dir.resolve("ca.pem");
    Path clientCert = dir.resolve("client.pem");
    Path rsaCert = dir.resolve("rsa.pem");
    Files.writeString(
        caPem, pem("CERTIFICATE", load(server).getCertificate("server").getEncoded()));
    Files.writeString(
        clientCert, pem("CERTIFICATE", load(client).getCertificate("client").getEncoded()));
    Files.writeString(rsaCert, pem("CERTIFICATE", load(rsa).getCertificate("rsa").getEncoded()));

    Path clientKey = dir.resolve("client-key.pem");
    Files.writeString(clientKey, pem("PRIVATE KEY", key(client, "client").getEncoded()));
    Path clientSec1Key = dir.resolve("client-key-sec1.pem");
    Files.writeString(
        clientSec1Key, pem("EC PRIVATE KEY", sec1(key(client, "client").getEncoded())));
    Path rsaKey = dir.resolve("rsa-key.pem");
    Files.writeString(rsaKey, pem("RSA PRIVATE KEY", pkcs1(key(rsa, "rsa").getEncoded())));
    return new Pki(
        dir, server, caPem, client, clientCert, clientKey, clientSec1Key, rsa, rsaCert, rsaKey);
  }

  static KeyStore load(Path p12) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      store.load(in, PASSWORD);
    }
    return store;
  }

  private static PrivateKey key(Path p12, String alias) throws Exception {
    return (PrivateKey) load(p12).getKey(alias, PASSWORD);
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /**
   * The PKCS#1 RSAPrivateKey inside a PKCS#8 PrivateKeyInfo: SEQ { INT, SEQ alg, OCTET STRING pkcs1
   * }.
   */
  private static byte[] pkcs1(byte[] pkcs8) {
    int[] pos = {0};
    header(pkcs8, pos); // outer SEQUENCE: step inside
    skip(pkcs8, pos); // version INTEGER
    skip(pkcs8, pos); // AlgorithmIdentifier SEQUENCE
    int length = header(pkcs8, pos); // OCTET STRING
    byte[] out = new byte[length];
    System.arraycopy(pkcs8, pos[0], out, 0, length);
    return out;
  }

  /**
   * SEC1 ECPrivateKey (what {@code consul tls cert create} writes) from a PKCS#8 EC key: the inner
   * ECPrivateKey with the curve OID from the AlgorithmIdentifier added as {@code [0] parameters}.
   */
  private static byte[] sec1(byte[] pkcs8) {
    int[] pos = {0};
    header(pkcs8, pos); // PrivateKeyInfo SEQUENCE
    skip(pkcs8, pos); // version
    header(pkcs8, pos); // AlgorithmIdentifier: step inside
    skip(pkcs8, pos); // id-ecPublicKey
    int curveStart = pos[0];
    skip(pkcs8, pos); // namedCurve OID
    byte[] curve = java.util.Arrays.copyOfRange(pkcs8, curveStart, pos[0]);
    int length = header(pkcs8, pos); // OCTET STRING holding ECPrivateKey
    byte[] inner = java.util.Arrays.copyOfRange(pkcs8, pos[0], pos[0] + length);
    int[] p = {0};
    header(inner, p); // ECPrivateKey SEQUENCE: step inside
    int versionStart = p[0];
    skip(inner, p); // version 1
    skip(inner, p); // privateKey OCTET STRING
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    body.write(inner, versionStart, p[0] - versionStart);
    body.writeBytes(tlv(0xa0, curve));
    body.write(inner, p[0], inner.length - p[0]); // [1] publicKey, when present
    return tlv(0x30, body.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] content) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(tag);
    if (content.length < 0x80) {
      out.write(content.length);
    } else if (content.length < 0x100) {
      out.write(0x81);
      out.write(content.length);
    } else {
      out.write(0x82);
      out.write(content.length >> 8);
      out.write(content.length & 0xff);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static int header(byte[] der, int[] pos) {
    pos[0]++; // tag
    int first = der[pos[0]++] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int length = 0;
    for (int i = 0; i < (first & 0x7f); i++) {
      length = (length << 8) | (der[pos[0]++] & 0xff);
    }
    return length;
  }

  private static void skip(byte[] der, int[] pos) {
    int length = header(der, pos);
    pos[0] += length;
  }

  private static Process keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(
        List.of("-storetype", "PKCS12", "-storepass", new String(PASSWORD), "-noprompt"));
    if (args[0].equals("-genkeypair")) {
      command.addAll(List.of("-keypass", new String(PASSWORD)));
    }
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static void finish(Process p) throws Exception {
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
  }
}
