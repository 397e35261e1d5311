package dev.hotconf.sidecar.internal.http;

import dev.hotconf.sidecar.internal.BoundedRead;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A TLS server context from PEM files, as certificate tools and Kubernetes secrets hand them over:
 * a certificate chain ({@code -----BEGIN CERTIFICATE-----}, the server's own first) and its private
 * key, unencrypted, as PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY})
 * or SEC1 ({@code BEGIN EC PRIVATE KEY}); RSA, EC and Ed25519 keys. The key is checked against the
 * certificate. Error messages name the files, never their content. Stateless; thread-safe.
 */
public final class PemTls {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

  private PemTls() {}

  /**
   * @throws IOException when a file cannot be read
   * @throws GeneralSecurityException when the content is not a usable certificate chain and key
   */
  public static SSLContext serverContext(Path certFile, Path keyFile)
      throws IOException, GeneralSecurityException {
    List<X509Certificate> chain = certificates(certFile);
    PrivateKey key = privateKey(keyFile, chain.get(0).getPublicKey());
    if (!matches(key, chain.get(0).getPublicKey())) {
      throw new GeneralSecurityException(
          keyFile + ": the private key does not belong to the certificate in " + certFile);
    }
    char[] password = new char[16];
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < password.length; i++) {
      password[i] = (char) ('a' + random.nextInt(26));
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("hotconf", key, password, chain.toArray(new Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }

  static List<X509Certificate> certificates(Path file)
      throws IOException, GeneralSecurityException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> chain = new ArrayList<>();
    for (Block b : blocks(file)) {
      if (b.type().equals("CERTIFICATE")) {
        try {
          chain.add(
              (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
        } catch (GeneralSecurityException e) {
          throw new GeneralSecurityException(
              file
                  + ": certificate "
                  + (chain.size() + 1)
                  + " is not"
                  + " a valid X.509 certificate");
        }
      }
    }
    if (chain.isEmpty()) {
      throw new GeneralSecurityException(
          file + ": no certificate (expected -----BEGIN CERTIFICATE-----)");
    }
    return chain;
  }

  static PrivateKey privateKey(Path file, PublicKey publicKey)
      throws IOException, GeneralSecurityException {
    for (Block b : blocks(file)) {
      byte[] pkcs8 =
          switch (b.type()) {
            case "PRIVATE KEY" -> b.der();
            case "RSA PRIVATE KEY", "EC PRIVATE KEY" ->
                pkcs8(algorithmIdentifier(publicKey), b.der());
            case "ENCRYPTED PRIVATE KEY" ->
                throw new GeneralSecurityException(
                    file
                        + ": the private key is encrypted; give it unencrypted (openssl pkcs8"
                        + " -topk8 -nocrypt) and protect the file instead (chmod 600)");
            default -> null;
          };
      if (pkcs8 == null) {
        continue;
      }
      try {
        return KeyFactory.getInstance(publicKey.getAlgorithm())
            .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      } catch (GeneralSecurityException | RuntimeException e) {
        throw new GeneralSecurityException(
            file
                + ": not a valid "
                + publicKey.getAlgorithm()
                + " private key for the certificate");
      }
    }
    throw new GeneralSecurityException(
        file + ": no private key (expected -----BEGIN PRIVATE KEY-----)");
  }

  private record Block(String type, byte[] der) {}

  private static List<Block> blocks(Path file) throws IOException, GeneralSecurityException {
    String text =
        new String(
            BoundedRead.readFile(file, BoundedRead.PEM_LIMIT, "the PEM file limit"),
            StandardCharsets.ISO_8859_1);
    if (text.contains("Proc-Type: 4,ENCRYPTED")) {
      throw new GeneralSecurityException(
          file
              + ": the private key is encrypted; give it unencrypted (openssl pkcs8 -topk8"
              + " -nocrypt) and protect the file instead (chmod 600)");
    }
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String body = m.group(2);
      // RFC 7468 allows explanatory headers only in legacy encrypted keys: refused by the decoder
      try {
        blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(body)));
      } catch (IllegalArgumentException e) {
        throw new GeneralSecurityException(file + ": a " + m.group(1) + " block is not base64");
      }
    }
    return blocks;
  }

  /**
   * Signs and verifies a random message: whether {@code key} is the private half of {@code pub}.
   */
  private static boolean matches(PrivateKey key, PublicKey pub) throws GeneralSecurityException {
    String algorithm =
        switch (pub.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          case "Ed448" -> "Ed448";
          default -> null;
        };
    if (algorithm == null) {
      return true; // unusual key type: the handshake will tell
    }
    byte[] message = new byte[32];
    new SecureRandom().nextBytes(message);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(message);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(pub);
    verifier.update(message);
    return verifier.verify(signature);
  }

  /** The AlgorithmIdentifier of a SubjectPublicKeyInfo: the same one a PKCS#8 key of it carries. */
  private static byte[] algorithmIdentifier(PublicKey publicKey) throws GeneralSecurityException {
    byte[] spki = publicKey.getEncoded();
    int[] outer = header(spki, 0);
    int start = outer[0];
    int[] inner = header(spki, start);
    int end = inner[0] + inner[1];
    byte[] id = new byte[end - start];
    System.arraycopy(spki, start, id, 0, id.length);
    return id;
  }

  /** DER tag at {@code at}: {content offset, content length}. */
  private static int[] header(byte[] der, int at) throws GeneralSecurityException {
    if (at + 2 > der.length || der[at] != 0x30) {
      throw new GeneralSecurityException("unexpected public key encoding");
    }
    int len = der[at + 1] & 0xFF;
    int offset = at + 2;
    if (len >= 0x80) {
      int n = len & 0x7F;
      if (n == 0 || n > 3 || offset + n > der.length) {
        throw new GeneralSecurityException("unexpected public key encoding");
      }
      len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (der[offset + i] & 0xFF);
      }
      offset += n;
    }
    return new int[] {offset, len};
  }

  /**
   * PrivateKeyInfo { version 0, algorithm, privateKey OCTET STRING } around a PKCS#1 or SEC1 key.
   */
  private static byte[] pkcs8(byte[] algorithmIdentifier, byte[] key) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(algorithmIdentifier);
    body.write(0x04);
    body.writeBytes(length(key.length));
    body.writeBytes(key);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    out.writeBytes(length(body.size()));
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  private static byte[] length(int n) {
    if (n < 0x80) {
      return new byte[] {(byte) n};
    }
    if (n < 0x100) {
      return new byte[] {(byte) 0x81, (byte) n};
    }
    if (n < 0x10000) {
      return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
    }
    return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
  }
}
