package dev.hotconf.consul.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Where the ACL token comes from. {@link #token()} is called for every request, so a token file
 * rotated on disk is picked up by the next request. {@link #toString()} describes the source (a
 * variable name, a file path) and never the token. Not part of the public API.
 */
public abstract class TokenProvider {

  /** The token could not be read; the message names the file or variable, never a token. */
  public static final class TokenUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    TokenUnavailableException(String message) {
      super(message);
    }
  }

  private TokenProvider() {}

  /** The token for the next request, or {@code null} to send none. */
  public abstract String token() throws TokenUnavailableException;

  /** No token: requests carry no {@code X-Consul-Token} (Consul's anonymous token applies). */
  public static TokenProvider none() {
    return NONE;
  }

  /** A fixed token. */
  public static TokenProvider literal(String token) {
    String checked = checkToken(token, "token");
    return new TokenProvider() {
      @Override
      public String token() {
        return checked;
      }

      @Override
      public String toString() {
        return "token=<redacted>";
      }
    };
  }

  /** A token read from an environment variable (through {@code env}) for each request. */
  public static TokenProvider environment(String variable, UnaryOperator<String> env) {
    Objects.requireNonNull(variable, "variable");
    Objects.requireNonNull(env, "env");
    return new TokenProvider() {
      @Override
      public String token() throws TokenUnavailableException {
        String value = env.apply(variable);
        if (value == null || value.isBlank()) {
          throw new TokenUnavailableException(
              "environment variable " + variable + " (the Consul ACL token) is not set or empty");
        }
        return validate(
            value.strip(), "environment variable " + variable, TokenUnavailableException::new);
      }

      @Override
      public String toString() {
        return "token=env:" + variable;
      }
    };
  }

  /** A token read from a file (trimmed) for each request, so rotation on disk is picked up. */
  public static TokenProvider file(Path file) {
    Objects.requireNonNull(file, "file");
    return new TokenProvider() {
      @Override
      public String token() throws TokenUnavailableException {
        String value;
        try {
          value =
              new String(SmallFiles.read(file, SmallFiles.TOKEN_LIMIT), StandardCharsets.UTF_8)
                  .strip();
        } catch (IOException | RuntimeException e) {
          throw new TokenUnavailableException(
              "cannot read the Consul ACL token file "
                  + file
                  + ": "
                  + (e.getClass() == IOException.class
                      ? e.getMessage()
                      : e.getClass().getSimpleName()));
        }
        if (value.isEmpty()) {
          throw new TokenUnavailableException("the Consul ACL token file " + file + " is empty");
        }
        return validate(value, "the Consul ACL token file " + file, TokenUnavailableException::new);
      }

      @Override
      public String toString() {
        return "token=file:" + file;
      }
    };
  }

  /** Checks a literal token; the message never repeats it. */
  public static String checkToken(String token, String what) {
    return validate(token, what, IllegalArgumentException::new);
  }

  private interface Failure<E extends Exception> {
    E create(String message);
  }

  private static <E extends Exception> String validate(
      String token, String what, Failure<E> failure) throws E {
    Objects.requireNonNull(token, what);
    if (token.isBlank()) {
      throw failure.create(what + " must not be blank");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw failure.create(
            what + " must be printable ASCII without spaces (character at index " + i + " is not)");
      }
    }
    return token;
  }

  private static final TokenProvider NONE =
      new TokenProvider() {
        @Override
        public String token() {
          return null;
        }

        @Override
        public String toString() {
          return "token=none";
        }
      };
}
