package dev.hotconf.consul.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the {@link SSLContext} for talking to Consul over HTTPS from PEM files or a PKCS#12 key
 * store, without touching the JVM-wide defaults:
 *
 * <ul>
 *   <li>server trust: the certificates of a PEM CA bundle, or the system trust store when none is
 *       given;
 *   <li>client identity (mutual TLS, optional): a PEM certificate chain plus a PEM private key
 *       (unencrypted PKCS#8 {@code BEGIN PRIVATE KEY}, PKCS#1 {@code BEGIN RSA PRIVATE KEY} or SEC1
 *       {@code BEGIN EC PRIVATE KEY}), or a PKCS#12 key store with its password.
 * </ul>
 *
 * Errors name the file and what is wrong with it, never key material or passwords. Not part of the
 * public API.
 */
public final class SslContexts {
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
  private static final char[] IN_MEMORY_PASSWORD = "hotconf".toCharArray();

  private SslContexts() {}

  /**
   * An SSLContext trusting {@code caPem} (or the system trust store when null) and presenting the
   * client identity given by ({@code certPem}, {@code keyPem}) or ({@code pkcs12}, {@code
   * pkcs12Password}) when present.
   *
   * @throws IllegalArgumentException naming the file that cannot be used and why
   */
  public static SSLContext create(
      Path caPem, Path certPem, Path keyPem, Path pkcs12, char[] pkcs12Password) {
    TrustManager[] trust = caPem == null ? null : trustManagers(caPem);
    KeyManager[] keys = null;
    if (certPem != null) {
      keys = keyManagers(pemKeyStore(certPem, keyPem), IN_MEMORY_PASSWORD);
    } else if (pkcs12 != null) {
      keys = keyManagers(loadPkcs12(pkcs12, pkcs12Password), pkcs12Password);
    }
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, trust, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot create a TLS context: " + e.getMessage(), e);
    }
  }

  static TrustManager[] trustManagers(Path caPem) {
    List<X509Certificate> certificates = readCertificates(caPem);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < certificates.size(); i++) {
        store.setCertificateEntry("ca-" + i, certificates.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "cannot use the CA certificates in " + caPem + ": " + e.getMessage(), e);
    }
  }

  private static KeyManager[] keyManagers(KeyStore store, char[] password) {
    try {
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      return factory.getKeyManagers();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot use the client key: " + e.getClass().getSimpleName(), e);
    }
  }

  static KeyStore pemKeyStore(Path certPem, Path keyPem) {
    List<X509Certificate> chain = readCertificates(certPem);
    PrivateKey key = readPrivateKey(keyPem);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("client", key, IN_MEMORY_PASSWORD, chain.toArray(new Certificate[0]));
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "the client key in "
              + keyPem
              + " does not match the certificate in "
              + certPem
              + " or cannot be stored: "
              + e.getClass().getSimpleName(),
          e);
    }
  }

  private static KeyStore loadPkcs12(Path file, char[] password) {
    try (InputStream in = new ByteArrayInputStream(SmallFiles.read(file, SmallFiles.PEM_LIMIT))) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read the PKCS#12 key store "
              + file
              + " (wrong password or not a PKCS#12 file): "
              + e.getClass().getSimpleName(),
          e);
    }
  }

  static List<X509Certificate> readCertificates(Path pem) {
    byte[] bytes = read(pem, "certificate");
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      Collection<? extends Certificate> read =
          factory.generateCertificates(new ByteArrayInputStream(bytes));
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : read) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException(pem + " contains no PEM certificate");
      }
      return out;
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException(
          pem + " does not contain valid PEM certificates: " + e.getMessage(), e);
    }
  }

  static PrivateKey readPrivateKey(Path pem) {
    String text = new String(read(pem, "private key"), StandardCharsets.US_ASCII);
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(m.group(2));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(pem + ": the " + type + " block is not valid base64");
      }
      try {
        switch (type) {
          case "PRIVATE KEY":
            return pkcs8(der, pem);
          case "RSA PRIVATE KEY":
            return pkcs8(rsaPkcs1ToPkcs8(der), pem);
          case "ENCRYPTED PRIVATE KEY":
            throw new IllegalArgumentException(
                pem
                    + " holds an encrypted key; decrypt it "
                    + "(openssl pkcs8 -topk8 -nocrypt) or use a PKCS#12 key store with a password");
          case "EC PRIVATE KEY":
            return pkcs8(ecSec1ToPkcs8(der, pem), pem);
          default:
            break; // e.g. EC PARAMETERS before the key: keep looking
        }
      } finally {
        Arrays.fill(der, (byte) 0);
      }
    }
    throw new IllegalArgumentException(
        pem
            + " contains no PEM private key (expected BEGIN PRIVATE KEY, "
            + "BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)");
  }

  private static PrivateKey pkcs8(byte[] der, Path pem) {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException | RuntimeException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException(
        pem + " holds a private key of an unsupported type or is corrupt");
  }

  /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo. */
  static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
    byte[] algorithm = {
      0x30,
      0x0d,
      0x06,
      0x09,
      0x2a,
      (byte) 0x86,
      0x48,
      (byte) 0x86,
      (byte) 0xf7,
      0x0d,
      0x01,
      0x01,
      0x01,
      0x05,
      0x00
    };
    byte[] version = {0x02, 0x01, 0x00};
    byte[] octets = der(0x04, pkcs1);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(version);
    body.writeBytes(algorithm);
    body.writeBytes(octets);
    return der(0x30, body.toByteArray());
  }

  private static final byte[] EC_PUBLIC_KEY_OID = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };

  /**
   * Wraps a SEC1 ECPrivateKey ({@code BEGIN EC PRIVATE KEY}, as written by {@code consul tls cert
   * create} and {@code openssl ecparam -genkey}) in a PKCS#8 PrivateKeyInfo; the curve comes from
   * the key's own {@code [0] parameters}.
   */
  static byte[] ecSec1ToPkcs8(byte[] sec1, Path pem) {
    byte[] curve = null;
    try {
      int[] pos = {0};
      if ((sec1[0] & 0xff) != 0x30) {
        throw new IllegalArgumentException("not a SEQUENCE");
      }
      int end = readLength(sec1, pos, 1) + pos[0];
      while (pos[0] < end) {
        int tag = sec1[pos[0]] & 0xff;
        int start = pos[0];
        int length = readLength(sec1, pos, pos[0] + 1);
        if (tag == 0xa0) {
          curve = Arrays.copyOfRange(sec1, pos[0], pos[0] + length); // the OID's whole TLV
        }
        pos[0] += length;
        if (pos[0] <= start) {
          throw new IllegalArgumentException("bad length");
        }
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(pem + " holds an EC PRIVATE KEY that is not valid DER");
    }
    if (curve == null || curve.length == 0 || curve[0] != 0x06) {
      throw new IllegalArgumentException(
          pem
              + " holds an EC PRIVATE KEY without its curve; convert it to "
              + "PKCS#8 (openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem)");
    }
    ByteArrayOutputStream algorithm = new ByteArrayOutputStream();
    algorithm.writeBytes(EC_PUBLIC_KEY_OID);
    algorithm.writeBytes(curve);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(der(0x30, algorithm.toByteArray()));
    body.writeBytes(der(0x04, sec1));
    return der(0x30, body.toByteArray());
  }

  /** Reads the DER length at {@code at} (just after a tag); leaves {@code pos} on the content. */
  private static int readLength(byte[] der, int[] pos, int at) {
    int first = der[at] & 0xff;
    pos[0] = at + 1;
    if (first < 0x80) {
      return first;
    }
    int bytes = first & 0x7f;
    if (bytes == 0 || bytes > 3) {
      throw new IllegalArgumentException("unsupported length");
    }
    int length = 0;
    for (int i = 0; i < bytes; i++) {
      length = (length << 8) | (der[pos[0]++] & 0xff);
    }
    return length;
  }

  private static byte[] der(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = 0;
      for (int l = length; l > 0; l >>= 8) {
        bytes++;
      }
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write((length >> (8 * i)) & 0xff);
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] read(Path file, String what) {
    try {
      return SmallFiles.read(file, SmallFiles.PEM_LIMIT);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the " + what + " file " + file + ": " + reason(e), e);
    }
  }

  /** A file-system failure without anything the file held: its class, or SmallFiles' refusal. */
  private static String reason(IOException e) {
    return e.getClass() == IOException.class ? e.getMessage() : e.getClass().getSimpleName();
  }
}
