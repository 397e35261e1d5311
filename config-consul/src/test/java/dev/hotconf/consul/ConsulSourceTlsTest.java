package dev.hotconf.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.hotconf.consul.internal.SslContexts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS end to end against a minimal HTTPS KV endpoint (ConsulTestServer speaks plain HTTP), with
 * certificates made by keytool at test time; plus PEM parsing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsulSourceTlsTest {
  private static final String KEY = "config/app/data";
  private static Pki pki;

  @TempDir Path dir;

  private HttpsServer server;
  private ExecutorService executor;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final List<ConsulSource> sources = new ArrayList<>();

  @BeforeAll
  static void certificates() throws Exception {
    pki = Pki.shared();
  }

  @AfterEach
  void stop() {
    sources.forEach(ConsulSource::close);
    stopping.countDown();
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  /**
   * Serves KEY = "tls: true" at index 7; blocking queries wait (up to their wait) and answer the
   * same.
   */
  private String startServer(boolean requireClientCertificate) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(Pki.load(pki.serverP12()), Pki.PASSWORD);
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("client", Pki.load(pki.clientP12()).getCertificate("client"));
    trusted.setCertificateEntry("rsa", Pki.load(pki.rsaP12()).getCertificate("rsa"));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(
        new HttpsConfigurator(context) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = context.getDefaultSSLParameters();
            p.setNeedClientAuth(requireClientCertificate);
            params.setSSLParameters(p);
          }
        });
    executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "tls-kv");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/v1/kv/", this::serve);
    server.start();
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  private void serve(HttpExchange exchange) throws IOException {
    String query = exchange.getRequestURI().getRawQuery();
    if (query != null && query.contains("index=")) {
      try {
        stopping.await(1, TimeUnit.SECONDS); // a blocking query with nothing to report
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    String value =
        Base64.getEncoder().encodeToString("tls: true\n".getBytes(StandardCharsets.UTF_8));
    byte[] body =
        ("[{\"Key\":\""
                + KEY
                + "\",\"Value\":\""
                + value
                + "\",\"CreateIndex\":7,\"ModifyIndex\":7,\"LockIndex\":0,\"Flags\":0}]")
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.getResponseHeaders().add("X-Consul-Index", "7");
    exchange.getResponseHeaders().add("X-Consul-KnownLeader", "true");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private RecordingListener start(ConsulSourceConfig config) {
    ConsulSource source = ConsulSource.create(config);
    sources.add(source);
    RecordingListener listener = new RecordingListener();
    source.start(listener);
    return listener;
  }

  private static ConsulSourceConfig.Builder config(String address) {
    return ConsulSourceConfig.key(KEY)
        .address(address)
        .waitTime(Duration.ofSeconds(1))
        .readTimeoutMargin(Duration.ofMillis(500))
        .backoff(Duration.ofMillis(20), Duration.ofMillis(100))
        .rateLimit(2, Duration.ofMillis(100));
  }

  @Test
  void serverTlsWithPemCa() throws Exception {
    String address = startServer(false);
    RecordingListener listener = start(config(address).caCertificate(pki.caPem()).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> listener.contents().size() == 1);
    assertThat(listener.lastContent()).isEqualTo(Map.of("tls", true));
  }

  @Test
  void systemTrustStoreRejectsAnUnknownCa() throws Exception {
    String address = startServer(false);
    RecordingListener listener = start(config(address).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> listener.failures().size() >= 1);
    assertThat(listener.failures().get(0)).contains("TLS with Consul at " + address + " failed");
    assertThat(listener.contents()).isEmpty();
  }

  @Test
  void mutualTlsWithPemCertificateAndPkcs8Key() throws Exception {
    String address = startServer(true);
    RecordingListener listener =
        start(
            config(address)
                .caCertificate(pki.caPem())
                .clientCertificate(pki.clientCertPem(), pki.clientKeyPem())
                .build());
    await().atMost(Duration.ofSeconds(10)).until(() -> listener.contents().size() == 1);
  }

  @Test
  void mutualTlsWithPemCertificateAndPkcs1RsaKey() throws Exception {
    String address = startServer(true);
    RecordingListener listener =
        start(
            config(address)
                .caCertificate(pki.caPem())
                .clientCertificate(pki.rsaCertPem(), pki.rsaPkcs1KeyPem())
                .build());
    await().atMost(Duration.ofSeconds(10)).until(() -> listener.contents().size() == 1);
  }

  @Test
  void mutualTlsWithPemCertificateAndSec1EcKey() throws Exception {
    assertThat(Files.readString(pki.clientSec1KeyPem()))
        .startsWith("-----BEGIN EC PRIVATE KEY-----");
    String address = startServer(true);
    RecordingListener listener =
        start(
            config(address)
                .caCertificate(pki.caPem())
                .clientCertificate(pki.clientCertPem(), pki.clientSec1KeyPem())
                .build());
    await().atMost(Duration.ofSeconds(10)).until(() -> listener.contents().size() == 1);
  }

  @Test
  void mutualTlsWithPkcs12KeyStore() throws Exception {
    String address = startServer(true);
    RecordingListener listener =
        start(
            config(address)
                .caCertificate(pki.caPem())
                .clientKeyStore(pki.clientP12(), Pki.PASSWORD)
                .build());
    await().atMost(Duration.ofSeconds(10)).until(() -> listener.contents().size() == 1);
  }

  @Test
  void mutualTlsWithoutClientCertificateFails() throws Exception {
    String address = startServer(true);
    RecordingListener listener = start(config(address).caCertificate(pki.caPem()).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> listener.failures().size() >= 1);
    assertThat(listener.failures().get(0)).contains("Consul at " + address);
    assertThat(listener.contents()).isEmpty();
  }

  @Test
  void badTlsMaterialIsRejectedWhenConfigured() throws Exception {
    Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
    assertThatThrownBy(() -> ConsulSourceConfig.key(KEY).caCertificate(notPem))
        .hasMessageContaining(notPem.toString());
    Path encrypted =
        Files.writeString(
            dir.resolve("enc.pem"), Pki.pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3}));
    assertThatThrownBy(
            () -> ConsulSourceConfig.key(KEY).clientCertificate(pki.clientCertPem(), encrypted))
        .hasMessageContaining("encrypted key");
    assertThatThrownBy(
            () ->
                ConsulSourceConfig.key(KEY).clientKeyStore(pki.clientP12(), "wrong".toCharArray()))
        .hasMessageContaining("wrong password")
        .hasMessageNotContaining("wrong\"");
    assertThatThrownBy(
            () -> ConsulSourceConfig.key(KEY).clientCertificate(pki.clientCertPem(), pki.caPem()))
        .hasMessageContaining("no PEM private key");
  }

  @Test
  void theClientCertificateIsGivenOneWayOnly() {
    assertThatThrownBy(
            () ->
                ConsulSourceConfig.key(KEY)
                    .clientKeyStore(pki.clientP12(), Pki.PASSWORD)
                    .clientCertificate(pki.clientCertPem(), pki.clientKeyPem()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("clientCertificate: cannot be combined with clientKeyStore");
    assertThatThrownBy(
            () ->
                ConsulSourceConfig.key(KEY)
                    .clientCertificate(pki.clientCertPem(), pki.clientKeyPem())
                    .clientKeyStore(pki.clientP12(), Pki.PASSWORD))
        .hasMessageStartingWith("clientKeyStore: cannot be combined with clientCertificate")
        .hasMessageNotContaining(new String(Pki.PASSWORD));
  }

  @Test
  void pemBundleWithSeveralCertificatesIsTrusted() throws Exception {
    Path bundle = dir.resolve("bundle.pem");
    Files.writeString(
        bundle, Files.readString(pki.clientCertPem()) + Files.readString(pki.caPem()));
    assertThat(SslContexts.create(bundle, null, null, null, null)).isNotNull();
  }

  @Test
  void tlsFilesNeedAnHttpsAddress() throws Exception {
    Pki pki = Pki.shared();
    ConsulSourceConfig.Builder b = ConsulSourceConfig.key("k").caCertificate(pki.caPem());
    assertThatThrownBy(b::build)
        .hasMessage("caCertificate: TLS files are configured but the address is not https://");
    ConsulSourceConfig ok = b.address("https://127.0.0.1:8501").build();
    assertThat(ok.usesTls()).isTrue();
    assertThat(ok.toString()).contains("ca=" + pki.caPem());
  }
}
