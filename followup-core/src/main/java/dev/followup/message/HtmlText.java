package dev.followup.message;

/**
 * Escapes text for HTML element content and quoted attribute values alike (SVG text inlined in
 * HTML included), so that a patient's name or reply can never inject markup into an email or a page.
 */
public final class HtmlText {
    private HtmlText() {
    }

    /**
     * @param text any text
     * @return the text with {@code < > & " '} escaped and control characters (other than line
     *     breaks and tabs) replaced by spaces, which have no business in a page
     */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 && c != '\n' && c != '\r' && c != '\t' ? ' ' : c);
            }
        }
        return out.toString();
    }
}
