package dev.hotconf.sidecar.cli;

import java.io.InputStream;

/** A command that can read a document from standard input ({@code -}). */
interface ReadsStdin {
  void stdin(InputStream in);
}
