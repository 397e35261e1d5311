package dev.hotconf.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Why hotconf's accessor types are classes whose read method is final, not interfaces: the same
 * read (a volatile holder plus a field load) called through three shapes of public type. C2 does
 * not trust a field's interface type (the verifier does not check it), so a call through an
 * interface keeps a receiver class check even with a single implementation; a final method needs
 * none. {@code typedString} and {@code genericStringWithCast} show the price of generics: a value
 * read through a generic cell (as {@code Setting<T>.get()} returns it) costs the caller a {@code
 * checkcast}, which a typed field does not. See {@code results/read-path.md}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AccessorShapeBenchmark {

  /** The shape hotconf used first: a public interface, one final implementation. */
  public interface IntReader {
    int read();
  }

  static final class InterfaceImpl implements IntReader {
    volatile Baseline.Holder current;

    @Override
    public int read() {
      return current.value;
    }
  }

  /** The shape hotconf uses: an abstract class whose read method is final. */
  public abstract static class AbstractReader {
    volatile Baseline.Holder current;

    public final int read() {
      return current.value;
    }

    abstract String key();
  }

  static final class AbstractImpl extends AbstractReader {
    @Override
    String key() {
      return "db.pool.max";
    }
  }

  /** A hand-written generic holder, as any {@code Supplier<T>} is: the caller casts. */
  static final class GenericCell<T> {
    final T value;

    GenericCell(T value) {
      this.value = value;
    }
  }

  volatile GenericCell<String> generic;
  Baseline baseline;
  IntReader viaInterface;
  AbstractReader viaAbstractClass;

  @Setup
  public void setUp() {
    Baseline.Holder holder = new Baseline.Holder(new Object(), 20, "jdbc:x");
    generic = new GenericCell<>("jdbc:x");
    baseline = new Baseline();
    baseline.current = holder;
    InterfaceImpl i = new InterfaceImpl();
    i.current = holder;
    viaInterface = i;
    AbstractImpl a = new AbstractImpl();
    a.current = holder;
    viaAbstractClass = a;
  }

  @Benchmark
  public int finalClass() {
    return baseline.get();
  }

  /** A typed cached String: no cast. */
  @Benchmark
  public String typedString() {
    return baseline.getText();
  }

  /**
   * The same String through a generic cell: javac inserts a {@code checkcast} at the caller (type
   * erasure), as for every {@code Setting<T>.get()}.
   */
  @Benchmark
  public String genericStringWithCast() {
    return generic.value;
  }

  @Benchmark
  public int interfaceCall() {
    return viaInterface.read();
  }

  @Benchmark
  public int abstractClassFinalMethod() {
    return viaAbstractClass.read();
  }
}
