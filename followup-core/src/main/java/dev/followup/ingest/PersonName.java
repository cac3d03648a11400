package dev.followup.ingest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A patient's name split into the given name used in greetings and the family name used to tell
 * patients apart. Package-private: how names are split is a parsing decision, not an API.
 *
 * @param first the given name, empty when the source has none
 * @param last the family name with its generational suffix ({@code Smith Jr.}), possibly empty
 */
record PersonName(String first, String last) {
    private static final Set<String> HONORIFICS = Set.of("mr", "mrs", "ms", "miss", "mx", "dr");
    // A suffix stays with the last name: without an MRN, it is what tells a father from his son
    // at the same phone number. "V" is left out on purpose: it is far more often a middle initial.
    private static final List<String> SUFFIXES = List.of("Jr.", "Sr.", "II", "III", "IV");
    // Particles that start a family name ("Maria de la Cruz", "Ludwig van Beethoven").
    private static final Set<String> PARTICLES = Set.of(
            "da", "das", "de", "del", "della", "der", "di", "do", "dos", "du", "la", "le", "van", "von", "st", "st.");

    /**
     * Splits a full name written either {@code Last, First Middle} (any name with a comma other
     * than before a lone suffix) or {@code First Middle Last}. Middle names and initials are
     * dropped, honorifics ({@code Mr.}, {@code Dr.}) too; a part in all capitals or all lower case
     * is title-cased so that greetings do not shout.
     *
     * @param full the exported name
     * @return the parts; {@code first} is empty when there is no given name
     */
    static PersonName fromFull(String full) {
        String text = collapse(full);
        String suffix = null;
        List<String> parts = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String p = part.strip();
            String asSuffix = suffixOf(p);
            if (asSuffix != null && !parts.isEmpty()) {
                suffix = asSuffix; // "John Smith, Jr." is not "Last, First"
            } else {
                parts.add(p);
            }
        }
        String first;
        String last;
        if (parts.size() >= 2) {
            List<String> lastTokens = tokens(parts.get(0));
            suffix = stripSuffix(lastTokens, suffix);
            List<String> given = tokens(String.join(" ", parts.subList(1, parts.size())));
            suffix = stripSuffix(given, suffix);
            stripHonorific(given);
            first = given.get(0);
            last = String.join(" ", lastTokens);
        } else {
            List<String> words = tokens(parts.get(0));
            stripHonorific(words);
            suffix = stripSuffix(words, suffix);
            first = words.get(0);
            last = words.size() == 1 ? "" : String.join(" ", words.subList(familyNameStart(words), words.size()));
        }
        // Each part on its own: "SMITH, John" is common, and "McDonald" must stay as written.
        first = fixCase(first);
        last = fixCase(last);
        if (suffix != null && !last.isEmpty()) {
            last = last + " " + suffix;
        }
        return new PersonName(first, last);
    }

    /**
     * Takes first and last names from separate columns as they are, apart from white space and
     * the case of names written in all capitals or all lower case.
     */
    static PersonName of(String first, String last) {
        return new PersonName(fixCase(collapse(first)), fixCase(collapse(last)));
    }

    private static int familyNameStart(List<String> words) {
        for (int i = 1; i < words.size() - 1; i++) {
            if (PARTICLES.contains(words.get(i).toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        return words.size() - 1;
    }

    private static String stripSuffix(List<String> words, String suffix) {
        String found = suffix;
        while (words.size() > 1) {
            String asSuffix = suffixOf(words.get(words.size() - 1));
            if (asSuffix == null) {
                break;
            }
            found = asSuffix;
            words.remove(words.size() - 1);
        }
        return found;
    }

    private static void stripHonorific(List<String> words) {
        while (words.size() > 1 && HONORIFICS.contains(words.get(0).toLowerCase(Locale.ROOT).replace(".", ""))) {
            words.remove(0);
        }
    }

    private static String suffixOf(String word) {
        String bare = word.replace(".", "").strip();
        for (String suffix : SUFFIXES) {
            if (suffix.replace(".", "").equalsIgnoreCase(bare)) {
                return suffix;
            }
        }
        return null;
    }

    /** @return the words of a text; a blank text gives one empty word, so there is always a first */
    private static List<String> tokens(String text) {
        return new ArrayList<>(Arrays.asList(collapse(text).split(" ")));
    }

    /** Trims and turns every run of white space into one space (no regex: this runs for every row). */
    static String collapse(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Title-cases a name that has letters all of one case; a mixed-case name is kept as written. */
    private static String fixCase(String name) {
        return isSingleCase(name) ? titleCase(name) : name;
    }

    private static boolean isSingleCase(String name) {
        return name.chars().anyMatch(Character::isUpperCase) != name.chars().anyMatch(Character::isLowerCase);
    }

    private static String titleCase(String name) {
        StringBuilder fixed = new StringBuilder(name.length());
        for (String word : name.split(" ", -1)) {
            if (fixed.length() > 0) {
                fixed.append(' ');
            }
            String suffix = suffixOf(word);
            if (suffix != null && !suffix.endsWith(".")) {
                fixed.append(suffix); // a roman numeral stays upper-case: "III", not "Iii"
                continue;
            }
            boolean wordStart = true; // also after a hyphen or apostrophe: "O'Brien", "Smith-Jones"
            for (int i = 0; i < word.length(); i++) {
                char c = word.charAt(i);
                fixed.append(wordStart ? Character.toTitleCase(c) : Character.toLowerCase(c));
                wordStart = !Character.isLetter(c);
            }
        }
        return fixed.toString();
    }
}
