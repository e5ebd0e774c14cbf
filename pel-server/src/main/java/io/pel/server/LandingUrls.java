package io.pel.server;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * Where {@code /r/{code}} sends a visitor, per campaign. Campaign rules carry no landing URL (it is not consensus
 * state: changing it must not need a rules version), so the server keeps them in a small properties file in its
 * data directory, set when a campaign is created through the API. A campaign without one lands on its dashboard
 * page, {@code /#campaigns/<id>}.
 */
final class LandingUrls {

    static final String FILE = "landing-urls.properties";
    static final int MAX_LENGTH = 2048;

    private final Path file;
    private final Properties urls = new Properties();

    LandingUrls(Path file) {
        this.file = file;
        if (file != null && Files.isRegularFile(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                urls.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read landing URLs from " + file, e);
            }
        }
    }

    synchronized String get(String campaign) {
        return urls.getProperty(campaign, "/#campaigns/" + campaign);
    }

    synchronized void put(String campaign, String url) {
        urls.setProperty(campaign, check(url));
        if (file == null) {
            return;
        }
        try {
            Path tmp = file.resolveSibling(FILE + ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                urls.store(out, "landing URL per campaign, for /r/{code}");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write landing URLs to " + file, e);
        }
    }

    /** An absolute http(s) URL, or a path on this server ({@code /…}, not {@code //host}); else 400. */
    static String check(String url) {
        boolean ok;
        try {
            URI u = new URI(url);
            ok = url.length() <= MAX_LENGTH && (u.isAbsolute()
                    ? ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
                    : url.startsWith("/") && !url.startsWith("//"));
        } catch (java.net.URISyntaxException e) {
            ok = false;
        }
        if (!ok) {
            throw new ApiError(400, "INVALID_URL", "a landing URL is an absolute http(s) URL or a path starting "
                    + "with '/', at most " + MAX_LENGTH + " characters").exception();
        }
        return url;
    }
}
