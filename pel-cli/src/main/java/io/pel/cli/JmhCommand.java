package io.pel.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code pel jmh}: the JMH micro-benchmarks of pel-bench; arguments go to JMH unchanged. */
@Command(name = "jmh",
        description = {
            "Runs the JMH micro-benchmarks (multi-version memory, task dispatch). Arguments go to JMH, e.g. "
                    + "'pel jmh -f 1 -wi 3 -i 5 MultiVersionMemory' or 'pel jmh -h'.",
        })
final class JmhCommand implements Callable<Integer> {

    /** Everything after {@code jmh}, options included, is JMH's. */
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        org.openjdk.jmh.Main.main(args.toArray(String[]::new));
        return 0;
    }
}
