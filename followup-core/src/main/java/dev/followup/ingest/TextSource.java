package dev.followup.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The characters of an uploaded file, decoded in the encoding the file turned out to have.
 *
 * <p>EHR exports come as UTF-8 (with or without a byte-order mark) or as Windows-1252 (Excel on
 * Windows "CSV"), and nothing in the file says which. {@link #open(InputStream)} decides per file
 * by sniffing the first {@value #SNIFF_BYTES} bytes: a UTF-8 BOM means UTF-8, a UTF-16 BOM means
 * UTF-16 (Excel's "Unicode text"), bytes that are not valid UTF-8 mean Windows-1252 unless valid
 * multi-byte UTF-8 sequences come with them, anything else (including plain ASCII) means UTF-8. A
 * UTF-8 file can still hold a stray Windows-1252 byte, in the sniffed bytes or further on (two
 * exports pasted together, a hand edit); such bytes are decoded as Windows-1252 instead of failing
 * the file, and {@link #lastReadWasFallback()} lets the tokenizer flag the rows they fall in.
 *
 * <p>Memory is bounded: at most the sniffed prefix and one buffer are held at a time.
 */
abstract class TextSource {
    static final int SNIFF_BYTES = 64 * 1024;
    private static final int BUFFER_BYTES = 8 * 1024;
    private static final char[] WINDOWS_1252 = windows1252Table();

    /**
     * Reads decoded characters.
     *
     * @param chars where to put them; at least two long, so a surrogate pair always fits
     * @return how many were read, 0 or more, or -1 at the end of the file
     */
    abstract int read(char[] chars) throws IOException;

    /** @return whether the characters of the last {@link #read} were decoded by the Windows-1252 fallback */
    boolean lastReadWasFallback() {
        return false;
    }

    /** @return the encoding the file was decided to have, e.g. {@code UTF-8} or {@code windows-1252} */
    abstract String encoding();

    /**
     * Sniffs the start of the stream and returns a source decoding the whole of it.
     *
     * @param in the file's bytes; read as needed, never all at once, and not closed
     */
    static TextSource open(InputStream in) throws IOException {
        byte[] prefix = in.readNBytes(SNIFF_BYTES);
        boolean wholeFile = prefix.length < SNIFF_BYTES;
        if (startsWith(prefix, 0xEF, 0xBB, 0xBF)) {
            return new Utf8(rest(prefix, 3, in));
        }
        if (startsWith(prefix, 0xFF, 0xFE)) {
            return new Decoded(rest(prefix, 2, in), StandardCharsets.UTF_16LE);
        }
        if (startsWith(prefix, 0xFE, 0xFF)) {
            return new Decoded(rest(prefix, 2, in), StandardCharsets.UTF_16BE);
        }
        InputStream all = rest(prefix, 0, in);
        return isUtf8(prefix, wholeFile) ? new Utf8(all) : new Windows1252(all);
    }

    /**
     * A prefix with invalid bytes is Windows-1252 only if it has no valid multi-byte sequence too.
     * Windows-1252 text almost never forms one by chance (an accented capital would have to be
     * followed by a symbol such as a curly quote), while UTF-8 text with one stray byte is common; read
     * as Windows-1252, that file would garble every accented name in it without a warning, where read
     * as UTF-8 only the rows with stray bytes are decoded as Windows-1252, and they are flagged.
     */
    private static boolean isUtf8(byte[] prefix, boolean wholeFile) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(prefix);
        // At most one char per byte (four bytes give a surrogate pair): the decoder never runs out of room.
        CharBuffer chars = CharBuffer.allocate(prefix.length);
        boolean invalid = false;
        // Unless the prefix is the whole file, it may end inside a character: that is not an error.
        for (CoderResult result = decoder.decode(bytes, chars, wholeFile); result.isError();
                result = decoder.decode(bytes, chars, wholeFile)) {
            invalid = true;
            bytes.position(bytes.position() + result.length());
        }
        if (!invalid) {
            return true;
        }
        chars.flip();
        while (chars.hasRemaining()) {
            if (chars.get() >= 0x80) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] bytes, int... expected) {
        if (bytes.length < expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((bytes[i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static InputStream rest(byte[] prefix, int skip, InputStream in) {
        return new SequenceInputStream(new ByteArrayInputStream(prefix, skip, prefix.length - skip), in);
    }

    private static char[] windows1252Table() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        // Java maps the five bytes Windows-1252 leaves undefined to U+FFFD: one char per byte either way.
        return new String(all, Charset.forName("windows-1252")).toCharArray();
    }

    /** UTF-8, decoding any malformed byte as Windows-1252 and saying so. */
    private static final class Utf8 extends TextSource {
        private final InputStream in;
        private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER_BYTES).flip();
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        private boolean endOfInput;
        private int malformedPending;
        private boolean lastWasFallback;

        Utf8(InputStream in) {
            this.in = in;
        }

        @Override
        int read(char[] chars) throws IOException {
            while (true) {
                if (malformedPending > 0) {
                    // Returned on their own so that the caller knows exactly which chars came from the fallback.
                    int n = Math.min(malformedPending, chars.length);
                    for (int i = 0; i < n; i++) {
                        chars[i] = WINDOWS_1252[bytes.get() & 0xFF];
                    }
                    malformedPending -= n;
                    lastWasFallback = true;
                    return n;
                }
                CharBuffer out = CharBuffer.wrap(chars);
                CoderResult result = decoder.decode(bytes, out, endOfInput);
                if (result.isError()) {
                    malformedPending = result.length();
                }
                if (out.position() > 0) {
                    lastWasFallback = false;
                    return out.position();
                }
                if (malformedPending > 0) {
                    continue;
                }
                if (endOfInput) {
                    // With endOfInput set, a truncated last character was reported as malformed above.
                    return -1;
                }
                refill();
            }
        }

        private void refill() throws IOException {
            bytes.compact();
            int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (n < 0) {
                endOfInput = true;
            } else {
                bytes.position(bytes.position() + n);
            }
            bytes.flip();
        }

        @Override
        boolean lastReadWasFallback() {
            return lastWasFallback;
        }

        @Override
        String encoding() {
            return "UTF-8";
        }
    }

    /** Windows-1252: one char per byte, through a table. */
    private static final class Windows1252 extends TextSource {
        private final InputStream in;
        private final byte[] bytes = new byte[BUFFER_BYTES];

        Windows1252(InputStream in) {
            this.in = in;
        }

        @Override
        int read(char[] chars) throws IOException {
            int n = in.read(bytes, 0, Math.min(bytes.length, chars.length));
            for (int i = 0; i < n; i++) {
                chars[i] = WINDOWS_1252[bytes[i] & 0xFF];
            }
            return n;
        }

        @Override
        String encoding() {
            return "windows-1252";
        }
    }

    /** Any other charset the JDK decodes, with malformed input replaced by U+FFFD. */
    private static final class Decoded extends TextSource {
        private final Reader reader;
        private final Charset charset;

        Decoded(InputStream in, Charset charset) {
            this.reader = new InputStreamReader(in, charset);
            this.charset = charset;
        }

        @Override
        int read(char[] chars) throws IOException {
            return reader.read(chars, 0, chars.length);
        }

        @Override
        String encoding() {
            return charset.name();
        }
    }
}
