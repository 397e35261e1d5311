package dev.hotconf.file;

import dev.hotconf.file.DiskReader.Content;
import dev.hotconf.file.DiskReader.Failed;
import dev.hotconf.file.DiskReader.Listing;
import dev.hotconf.file.DiskReader.Missing;
import dev.hotconf.file.DiskReader.Result;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a read found, reduced to what decides whether it is news: a file's content by the SHA-256 of
 * its bytes, a missing file by the reason, a failure by its message; for a folder, the same per
 * fragment name, or why the folder itself could not be read. {@link Delivery} hands the listener a
 * read only when its outcome differs from the last one delivered. Immutable.
 *
 * @param folder why the folder itself could not be read, or null when it was listed
 * @param fragments each file read, by name (one entry for a single watched file)
 */
record Outcome(Found folder, SortedMap<String, Found> fragments) {

  /** What one path held. */
  record Found(State state, String detail) {
    /** Content ({@code detail}: the SHA-256), missing (the reason), failed (the message). */
    enum State {
      CONTENT,
      MISSING,
      FAILED
    }

    static Found of(Result r) {
      if (r instanceof Content c) {
        return new Found(State.CONTENT, c.sha256());
      }
      if (r instanceof Missing m) {
        return new Found(State.MISSING, m.reason());
      }
      return new Found(State.FAILED, ((Failed) r).message());
    }
  }

  static Outcome of(Listing listing) {
    if (listing.folder() != null) {
      return new Outcome(Found.of(listing.folder()), Collections.emptySortedMap());
    }
    SortedMap<String, Found> found = new TreeMap<>();
    listing.fragments().forEach((name, r) -> found.put(name, Found.of(r)));
    return new Outcome(null, Collections.unmodifiableSortedMap(found));
  }
}
