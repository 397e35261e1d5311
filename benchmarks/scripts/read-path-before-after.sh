#!/usr/bin/env bash
# The read path before and after a change, in ONE JMH run: ReadPathBenchmark as it is in this
# checkout (against this checkout's config-core) and ReadPathBenchmark as it was at BEFORE_REF
# (against config-core's sources at BEFORE_REF, compiled into the package dev.hotconf_before so both
# versions load side by side). Same JVM, same JMH options, same machine state; JMH runs the two
# benchmark classes one after the other, each in its own forks.
#
# Usage, from the repository root:
#   benchmarks/scripts/read-path-before-after.sh BEFORE_REF [JMH options...]
# e.g.
#   benchmarks/scripts/read-path-before-after.sh 7e6759a \
#     'ReadPath(Before)?Benchmark\.(hotconf(Int|String|Duration|Record)|baselineHolder)$' \
#     -prof gc -f 12 -wi 2 -w 1 -i 3 -r 1 -t 1
# Without JMH options it runs that selection briefly (1 fork), to check that it works.
#
# Builds with ./mvnw package (never install); the before side is compiled in a temporary folder.
set -euo pipefail

before=${1:?usage: $0 BEFORE_REF [JMH options...]}
shift
root=$(git rev-parse --show-toplevel)
cd "$root"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. This checkout: the benchmarks jar (JMH, the peers, config-core as it is now).
./mvnw -B -q -pl benchmarks -am -DskipTests package
jar="$root/benchmarks/target/benchmarks.jar"

# 2. BEFORE_REF: config-core's sources, moved from dev.hotconf to dev.hotconf_before.
git archive "$before" config-core/src/main/java | tar -x -C "$work"
core="$work/config-core/src/main/java"
mv "$core/dev/hotconf" "$core/dev/hotconf_before"
find "$core" -name '*.java' -exec sed -i 's/\bdev\.hotconf\b/dev.hotconf_before/g' {} +

# 3. Both benchmark classes: the current one as is, BEFORE_REF's renamed ReadPathBeforeBenchmark
#    and pointed at dev.hotconf_before (Baseline and Documents come from the jar: plain Java).
gen="$work/gen/dev/hotconf/benchmarks"
mkdir -p "$gen"
cp benchmarks/src/main/java/dev/hotconf/benchmarks/ReadPathBenchmark.java "$gen/"
git show "$before:benchmarks/src/main/java/dev/hotconf/benchmarks/ReadPathBenchmark.java" \
  | sed -e 's/\bReadPathBenchmark\b/ReadPathBeforeBenchmark/g' \
        -e '/^import dev\.hotconf\.benchmarks\./!s/^import dev\.hotconf\./import dev.hotconf_before./' \
  > "$gen/ReadPathBeforeBenchmark.java"

# 4. One javac run with JMH's annotation processor, so that one BenchmarkList names both classes.
jmh_version=$(sed -n 's:.*<jmh.version>\(.*\)</jmh.version>.*:\1:p' pom.xml)
processor="$HOME/.m2/repository/org/openjdk/jmh/jmh-generator-annprocess/$jmh_version/jmh-generator-annprocess-$jmh_version.jar"
if [ ! -f "$processor" ]; then
  echo "missing $processor (the benchmarks module's build resolves it)" >&2
  exit 2
fi
mkdir -p "$work/classes"
find "$core" "$work/gen" -name '*.java' > "$work/sources"
javac --release 17 -nowarn -cp "$jar" -processorpath "$processor:$jar" -d "$work/classes" @"$work/sources"

# 5. Run: the classes compiled here come first (their BenchmarkList lists both classes).
if [ $# -eq 0 ]; then
  set -- 'ReadPath(Before)?Benchmark\.(hotconf(Int|String|Duration|Record)|baselineHolder)$' \
    -f 1 -wi 1 -w 200ms -i 1 -r 200ms
fi
echo "before: $(git rev-parse --short "$before"), after: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- config-core benchmarks || echo ' + uncommitted changes')"
uptime
java -cp "$work/classes:$jar" org.openjdk.jmh.Main "$@"
uptime
