package dev.hotconf.sidecar.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** PEM certificate chains and keys as tools write them; clear errors that never quote a key. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PemTlsTest {
  @TempDir static Path dir;
  private static TestCertificates.Pair rsa;
  private static TestCertificates.Pair ec;

  @BeforeAll
  static void keys() throws Exception {
    rsa = TestCertificates.shared("RSA");
    ec = TestCertificates.shared("EC");
  }

  @Test
  void pkcs8KeysOfEveryKindAreAccepted() throws Exception {
    TestCertificates.Pair ed = TestCertificates.shared("Ed25519");
    for (TestCertificates.Pair p : new TestCertificates.Pair[] {rsa, ec, ed}) {
      assertThat(PemTls.serverContext(p.cert(), p.key()).getProtocol()).isEqualTo("TLS");
    }
  }

  @Test
  void pkcs1AndSec1KeysAreAccepted() throws Exception {
    Path pkcs1 = dir.resolve("rsa1.key");
    Files.writeString(
        pkcs1, TestCertificates.pem("RSA PRIVATE KEY", TestCertificates.innerKey(rsa.pkcs8())));
    assertThat(PemTls.serverContext(rsa.cert(), pkcs1)).isNotNull();
    Path sec1 = dir.resolve("ec1.key");
    Files.writeString(
        sec1,
        "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
            + TestCertificates.pem("EC PRIVATE KEY", TestCertificates.innerKey(ec.pkcs8())));
    assertThat(PemTls.serverContext(ec.cert(), sec1)).isNotNull();
  }

  @Test
  void aChainWithTextAroundItIsAccepted() throws Exception {
    Path chain = dir.resolve("chain.crt");
    Files.writeString(
        chain,
        "subject=CN = localhost\n" + Files.readString(rsa.cert()) + Files.readString(ec.cert()));
    assertThat(PemTls.certificates(chain)).hasSize(2);
  }

  @Test
  void aKeyOfAnotherCertificateIsRefused() throws Exception {
    assertThatThrownBy(
            () ->
                PemTls.serverContext(rsa.cert(), TestCertificates.make(dir, "other", "RSA").key()))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("other.key: the private key does not belong to the certificate in");
    assertThatThrownBy(() -> PemTls.serverContext(rsa.cert(), ec.key()))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("ec.key: not a valid RSA private key for the certificate");
  }

  @Test
  void missingEncryptedOrMalformedContentIsNamedNeverQuoted() throws Exception {
    Path empty = dir.resolve("empty.pem");
    Files.writeString(empty, "nothing here\n");
    assertThatThrownBy(() -> PemTls.serverContext(empty, rsa.key()))
        .hasMessage(empty + ": no certificate (expected -----BEGIN CERTIFICATE-----)");
    assertThatThrownBy(() -> PemTls.serverContext(rsa.cert(), empty))
        .hasMessage(empty + ": no private key (expected -----BEGIN PRIVATE KEY-----)");
    Path encrypted = dir.resolve("enc.key");
    Files.writeString(encrypted, TestCertificates.pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2}));
    assertThatThrownBy(() -> PemTls.serverContext(rsa.cert(), encrypted))
        .hasMessageContaining("enc.key: the private key is encrypted");
    Path garbage = dir.resolve("garbage.key");
    String secretish = "c2VjcmV0LWtleS1ieXRlcw";
    Files.writeString(
        garbage, "-----BEGIN PRIVATE KEY-----\n" + secretish + "\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> PemTls.serverContext(rsa.cert(), garbage))
        .hasMessageContaining("garbage.key: not a valid RSA private key")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secretish));
  }
}
