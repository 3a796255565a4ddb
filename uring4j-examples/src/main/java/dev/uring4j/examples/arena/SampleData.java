package dev.uring4j.examples.arena;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the arena's sample data: {@code dataset.json} (50 items of the HttpArena shape, made up
 * from a fixed seed, so every run writes the same octets) and a few static files of several types,
 * the compressible ones with a {@code .gz} sibling. The repository keeps its output in
 * {@code uring4j-examples/arena}; run it again to refresh that after changing it:
 * {@code java -cp uring4j-examples/target/classes dev.uring4j.examples.arena.SampleData uring4j-examples/arena}.
 */
public final class SampleData {
    private SampleData() {
    }

    static final int ITEMS = 50;
    private static final String[] ADJECTIVES = {"Quiet", "Rapid", "Amber", "Polar", "Brisk", "Lunar", "Crimson",
            "Hollow", "Golden", "Silent", "Nimble", "Rustic"};
    private static final String[] NOUNS = {"Kettle", "Lantern", "Compass", "Notebook", "Backpack", "Headset",
            "Blender", "Tripod", "Keyboard", "Umbrella", "Thermos", "Skillet"};
    private static final String[] CATEGORIES = {"kitchen", "outdoor", "office", "audio", "travel", "garden"};
    private static final String[] TAGS = {"new", "sale", "eco", "gift", "bestseller", "limited", "compact",
            "refurbished", "bundle", "imported"};

    /**
     * Writes the sample data into a directory.
     *
     * @param args the directory, created if missing
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: SampleData DIR");
            System.exit(2);
        }
        write(Path.of(args[0]));
    }

    /** Writes {@code dataset.json} and {@code static/} into {@code dir}. */
    static void write(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("static"));
        Files.writeString(dir.resolve("dataset.json"), dataset(), StandardCharsets.UTF_8);
        Path s = dir.resolve("static");
        withGzip(s.resolve("index.html"), bytes("""
                <!doctype html>
                <html lang="en">
                <head><meta charset="utf-8"><title>uring4j arena</title><link rel="stylesheet" href="style.css"></head>
                <body>
                <h1>uring4j arena</h1>
                <p>Sample static files for the HttpArena endpoints: this page, a style sheet, a script, an
                SVG logo and a PNG icon. The text files have <code>.gz</code> siblings for clients that accept gzip.</p>
                <img src="logo.svg" alt="logo" width="64" height="64"> <img src="icon.png" alt="icon" width="16" height="16">
                <script src="app.js"></script>
                </body>
                </html>
                """ + "<!-- padding so that compression has something to do -->\n".repeat(20)));
        withGzip(s.resolve("style.css"), bytes(("body { font-family: sans-serif; margin: 2rem auto; max-width: 40rem; }\n"
                + "h1 { color: #8a2be2; }\ncode { background: #f4f4f4; padding: 0 .2rem; }\n").repeat(8)));
        withGzip(s.resolve("app.js"), bytes(("document.addEventListener('DOMContentLoaded', () => {\n"
                + "  fetch('/json/5?m=2').then(r => r.json()).then(d => console.log('items', d.count));\n});\n").repeat(6)));
        withGzip(s.resolve("logo.svg"), bytes("""
                <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">
                  <circle cx="32" cy="32" r="30" fill="#8a2be2"/>
                  <circle cx="32" cy="32" r="18" fill="none" stroke="#fff" stroke-width="6"/>
                  <text x="32" y="38" font-size="14" text-anchor="middle" fill="#fff">u4j</text>
                </svg>
                """));
        Files.write(s.resolve("icon.png"), png(16, 16));
    }

    /** The dataset as pretty JSON, one item per line. */
    static String dataset() {
        Random random = new Random(17);
        StringBuilder b = new StringBuilder("[\n");
        for (int id = 1; id <= ITEMS; id++) {
            String name = ADJECTIVES[random.nextInt(ADJECTIVES.length)] + " " + NOUNS[random.nextInt(NOUNS.length)];
            StringBuilder tags = new StringBuilder();
            int tagCount = 1 + random.nextInt(3);
            int first = random.nextInt(TAGS.length);
            for (int t = 0; t < tagCount; t++) {
                tags.append(t > 0 ? ", " : "").append('"').append(TAGS[(first + t * 3) % TAGS.length]).append('"');
            }
            b.append(String.format(java.util.Locale.ROOT, "  {\"id\": %d, \"name\": \"%s\", \"category\": \"%s\", \"price\": %d, "
                            + "\"quantity\": %d, \"active\": %b, \"tags\": [%s], \"rating\": {\"score\": %d, \"count\": %d}}%s%n",
                    id, name, CATEGORIES[random.nextInt(CATEGORIES.length)], 1 + random.nextInt(500),
                    1 + random.nextInt(100), random.nextInt(4) != 0, tags, 1 + random.nextInt(5), random.nextInt(5000),
                    id < ITEMS ? "," : ""));
        }
        return b.append("]\n").toString();
    }

    private static void withGzip(Path file, byte[] content) throws IOException {
        Files.write(file, content);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            out.write(content);
        }
        Files.write(file.resolveSibling(file.getFileName() + ".gz"), gz.toByteArray());
    }

    /** A {@code width} by {@code height} RGB PNG of a diagonal gradient. */
    static byte[] png(int width, int height) {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (int y = 0; y < height; y++) {
            raw.write(0); // filter: none
            for (int x = 0; x < width; x++) {
                raw.write(0x8a);
                raw.write(x * 255 / width);
                raw.write(y * 255 / height);
            }
        }
        Deflater zlib = new Deflater(Deflater.BEST_COMPRESSION);
        zlib.setInput(raw.toByteArray());
        zlib.finish();
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        while (!zlib.finished()) {
            idat.write(chunk, 0, zlib.deflate(chunk));
        }
        zlib.end();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        pngChunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0).array());
        pngChunk(png, "IDAT", idat.toByteArray());
        pngChunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void pngChunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] typeBytes = bytes(type);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(typeBytes);
        png.writeBytes(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
