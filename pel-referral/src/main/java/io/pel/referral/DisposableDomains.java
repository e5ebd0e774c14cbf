package io.pel.referral;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * The shipped list of disposable-mail domains ({@code disposable-domains.txt} beside this class). A domain is
 * disposable when it, or a parent domain of it, is on the list. The list is part of the program's rules: a
 * replica with another list would decide otherwise, so it changes only with a new release of the program.
 */
public final class DisposableDomains {

    private static final Set<String> DOMAINS = load();

    private DisposableDomains() {
    }

    public static boolean isDisposable(String domain) {
        String d = domain;
        while (!d.isEmpty()) {
            if (DOMAINS.contains(d)) {
                return true;
            }
            int dot = d.indexOf('.');
            if (dot < 0) {
                return false;
            }
            d = d.substring(dot + 1);
        }
        return false;
    }

    public static int size() {
        return DOMAINS.size();
    }

    private static Set<String> load() {
        try (InputStream in = DisposableDomains.class.getResourceAsStream("disposable-domains.txt")) {
            if (in == null) {
                throw new IllegalStateException("disposable-domains.txt is missing from the classpath");
            }
            Set<String> set = new HashSet<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    set.add(line.toLowerCase(java.util.Locale.ROOT));
                }
            }
            return Set.copyOf(set);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
