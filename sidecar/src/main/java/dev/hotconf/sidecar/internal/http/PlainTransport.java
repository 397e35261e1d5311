package dev.hotconf.sidecar.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** Plain TCP: the channel itself. */
final class PlainTransport implements Transport {
  private final SocketChannel channel;

  PlainTransport(SocketChannel channel) {
    this.channel = channel;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return channel.read(dst);
  }

  @Override
  public long write(ByteBuffer[] srcs) throws IOException {
    return channel.write(srcs);
  }

  @Override
  public boolean flush() {
    return true;
  }

  @Override
  public boolean wantsWrite() {
    return false;
  }

  @Override
  public boolean shutdownOutput() throws IOException {
    channel.shutdownOutput();
    return true;
  }
}
