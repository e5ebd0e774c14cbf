package io.pel.cli;

import java.io.PrintWriter;

/**
 * A progress line on stderr that each update overwrites, shown only on a terminal (never into a pipe or a
 * file, where it would be noise between the results).
 */
final class StatusLine {

    private final PrintWriter err;
    private final boolean shown;

    StatusLine(PrintWriter err, boolean shown) {
        this.err = err;
        this.shown = shown;
    }

    /** A status line for a terminal session: shown when the process has a console. */
    static StatusLine onConsole(PrintWriter err) {
        return new StatusLine(err, System.console() != null);
    }

    void show(String line) {
        if (shown) {
            err.print("\r\033[K" + line);
            err.flush();
        }
    }

    /** Erases the line, so the next output starts on a clean one. */
    void clear() {
        show("");
    }
}
