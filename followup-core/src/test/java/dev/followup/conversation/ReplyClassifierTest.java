package dev.followup.conversation;

import static dev.followup.conversation.ReplyKind.HELP;
import static dev.followup.conversation.ReplyKind.NO;
import static dev.followup.conversation.ReplyKind.OPT_IN;
import static dev.followup.conversation.ReplyKind.OPT_OUT;
import static dev.followup.conversation.ReplyKind.OTHER;
import static dev.followup.conversation.ReplyKind.SLOT_CHOICE;
import static dev.followup.conversation.ReplyKind.YES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.InvalidInputException;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReplyClassifierTest {

    private static final ReplyClassifier CLASSIFIER = ReplyClassifier.standard();

    private static ReplyKind kindOf(String text) {
        return CLASSIFIER.classify(text, 0).kind();
    }

    // ---- the phrase table ----------------------------------------------------------------------

    static Stream<Arguments> phrases() {
        return Stream.of(
                // opt-out: carrier keywords, any case and punctuation
                Arguments.of("STOP", OPT_OUT),
                Arguments.of("stop", OPT_OUT),
                Arguments.of("Stop.", OPT_OUT),
                Arguments.of("  sToP!!! ", OPT_OUT),
                Arguments.of("STOPALL", OPT_OUT),
                Arguments.of("Unsubscribe", OPT_OUT),
                Arguments.of("CANCEL", OPT_OUT),
                Arguments.of("cancel.", OPT_OUT),
                Arguments.of("End", OPT_OUT),
                Arguments.of("QUIT", OPT_OUT),
                Arguments.of("revoke", OPT_OUT),
                Arguments.of("OPTOUT", OPT_OUT),
                Arguments.of("opt out", OPT_OUT),
                Arguments.of("Opt-Out", OPT_OUT),
                Arguments.of("STOPPPP", OPT_OUT),
                Arguments.of("stooop", OPT_OUT),
                Arguments.of("S.T.O.P.", OPT_OUT),
                Arguments.of("ＳＴＯＰ", OPT_OUT),
                Arguments.of("st\u200Bop", OPT_OUT),
                Arguments.of("\uD83D\uDED1", OPT_OUT),
                Arguments.of("cancel please", OPT_OUT),
                Arguments.of("CANCEL ALL", OPT_OUT),
                Arguments.of("end now", OPT_OUT),
                // opt-out: plain English
                Arguments.of("please stop texting me", OPT_OUT),
                Arguments.of("Stop texting me", OPT_OUT),
                Arguments.of("don't text me", OPT_OUT),
                Arguments.of("Don’t text me anymore", OPT_OUT),
                Arguments.of("do not contact me", OPT_OUT),
                Arguments.of("Never text this number again", OPT_OUT),
                Arguments.of("no more messages", OPT_OUT),
                Arguments.of("No more texts please", OPT_OUT),
                Arguments.of("no more", OPT_OUT),
                Arguments.of("remove me from your list", OPT_OUT),
                Arguments.of("Please take me off your list", OPT_OUT),
                Arguments.of("remove my number", OPT_OUT),
                Arguments.of("leave me alone", OPT_OUT),
                Arguments.of("unsubscribe me", OPT_OUT),
                Arguments.of("I want to unsubscribe", OPT_OUT),
                Arguments.of("I don't want these texts", OPT_OUT),
                Arguments.of("I do not want to receive any more messages", OPT_OUT),
                Arguments.of("cancel these texts", OPT_OUT),
                Arguments.of("end all messages", OPT_OUT),
                Arguments.of("cancel my appointment reminders", OPT_OUT),
                Arguments.of("I opted out already!", OPT_OUT),
                Arguments.of("I revoke my consent", OPT_OUT),
                Arguments.of("you won't stop texting me", OPT_OUT),
                Arguments.of("quit texting me", OPT_OUT),
                // an exempting activity or noun, then the messages or the number: still an opt-out
                Arguments.of("Stop using my number", OPT_OUT),
                Arguments.of("quit using my number", OPT_OUT),
                Arguments.of("please stop using this phone number", OPT_OUT),
                Arguments.of("stop having you text me", OPT_OUT),
                Arguments.of("stop these medication reminders", OPT_OUT),
                Arguments.of("stop my therapy reminders", OPT_OUT),
                Arguments.of("stop the treatment texts", OPT_OUT),
                // opt-out wins over everything
                Arguments.of("yes stop", OPT_OUT),
                Arguments.of("Yes! but stop texting me", OPT_OUT),
                Arguments.of("STOP START", OPT_OUT),
                Arguments.of("help stop", OPT_OUT),
                Arguments.of("no, stop", OPT_OUT),
                Arguments.of("not interested, stop", OPT_OUT),
                Arguments.of("👍 stop", OPT_OUT),
                Arguments.of("I can't stop coughing. Stop.", OPT_OUT),
                // opt-out: Spanish
                Arguments.of("para", OPT_OUT),
                Arguments.of("PARA!", OPT_OUT),
                Arguments.of("parar", OPT_OUT),
                Arguments.of("basta", OPT_OUT),
                Arguments.of("Ya basta", OPT_OUT),
                Arguments.of("alto", OPT_OUT),
                Arguments.of("no más mensajes", OPT_OUT),
                Arguments.of("No mas mensajes", OPT_OUT),
                Arguments.of("cancelar", OPT_OUT),
                Arguments.of("Cancelar los mensajes", OPT_OUT),
                Arguments.of("no me escriban", OPT_OUT),
                Arguments.of("No me manden mensajes", OPT_OUT),
                Arguments.of("no me envíen más mensajes por favor", OPT_OUT),
                Arguments.of("para de escribirme", OPT_OUT),
                Arguments.of("dejen de enviarme mensajes", OPT_OUT),
                Arguments.of("sáquenme de la lista", OPT_OUT),
                Arguments.of("quiero darme de baja", OPT_OUT),
                Arguments.of("no quiero recibir más mensajes", OPT_OUT),
                Arguments.of("basta de mensajes", OPT_OUT),
                // not opt-out: ambiguous everyday words
                Arguments.of("cancel my appointment", OTHER),
                Arguments.of("Can I cancel my appointment?", OTHER),
                Arguments.of("cancel it", OTHER),
                Arguments.of("cancelar mi cita", OTHER),
                Arguments.of("para el martes", OTHER),
                Arguments.of("es para mi hijo", OTHER),
                Arguments.of("end of the week works", OTHER),
                Arguments.of("my blood pressure is alto", OTHER),
                Arguments.of("I can't stop coughing, yes I want an appointment", OTHER),
                Arguments.of("Can I stop by the office tomorrow?", OTHER),
                Arguments.of("should I stop taking my meds?", OTHER),
                Arguments.of("should I stop taking my meds, call me", OTHER),
                Arguments.of("I stopped using my inhaler", OTHER),
                Arguments.of("can I stop using my inhaler", OTHER),
                Arguments.of("I had to stop the medication, my number changed", OTHER),
                Arguments.of("should I stop the medication", OTHER),
                Arguments.of("I quit smoking last month", OTHER),
                Arguments.of("waiting at the bus stop", OTHER),
                Arguments.of("the pain is non-stop", OTHER),
                Arguments.of("no puedo parar de toser", OTHER),
                Arguments.of("wrong number", OTHER),
                Arguments.of("I want to end it", OTHER),
                Arguments.of("the rash won't go away", OTHER),
                Arguments.of("my pain won't stop", OTHER),
                Arguments.of("the bleeding doesn't stop", OTHER),
                Arguments.of("I can't quit", OTHER),
                Arguments.of("they won't stop calling me", OPT_OUT),
                Arguments.of("why won't you stop", OPT_OUT),
                Arguments.of("It won't stop. STOP", OPT_OUT),
                Arguments.of("you never stop sending these texts", OPT_OUT),
                Arguments.of("go away", OPT_OUT),
                Arguments.of("you never call me back", OTHER),
                Arguments.of("Never text me again", OPT_OUT),
                Arguments.of("Cancel my appointment, text me the new time", OTHER),
                Arguments.of("cancel my text, I meant Tuesday", OTHER),
                Arguments.of("remove me from the waitlist", OTHER),
                Arguments.of("remove me", OPT_OUT),
                Arguments.of("take me off this texting list", OPT_OUT),
                // opt-in
                Arguments.of("START", OPT_IN),
                Arguments.of("start.", OPT_IN),
                Arguments.of("Unstop", OPT_IN),
                Arguments.of("opt in", OPT_IN),
                Arguments.of("start again please", OPT_IN),
                Arguments.of("Comenzar", OPT_IN),
                Arguments.of("when does my appointment start", OTHER),
                // help
                Arguments.of("HELP", HELP),
                Arguments.of("help?", HELP),
                Arguments.of("Info", HELP),
                Arguments.of("ayuda", HELP),
                Arguments.of("Ayuda por favor", HELP),
                Arguments.of("I need help with my insurance", OTHER),
                // yes
                Arguments.of("yes", YES),
                Arguments.of("YES!", YES),
                Arguments.of("Y", YES),
                Arguments.of("yeah", YES),
                Arguments.of("Yep", YES),
                Arguments.of("yup.", YES),
                Arguments.of("Sure", YES),
                Arguments.of("ok", YES),
                Arguments.of("Okay!", YES),
                Arguments.of("k", YES),
                Arguments.of("yes please", YES),
                Arguments.of("Yes, please.", YES),
                Arguments.of("yesss", YES),
                Arguments.of("sounds good", YES),
                Arguments.of("Yes sounds good, thanks!", YES),
                Arguments.of("I'd like to schedule", YES),
                Arguments.of("I’d like to schedule an appointment", YES),
                Arguments.of("I would like to book a follow up visit", YES),
                Arguments.of("book", YES),
                Arguments.of("Schedule me please", YES),
                Arguments.of("yes I want an appointment", YES),
                Arguments.of("of course", YES),
                Arguments.of("sí", YES),
                Arguments.of("Si", YES),
                Arguments.of("SÍ, POR FAVOR", YES),
                Arguments.of("claro", YES),
                Arguments.of("claro que sí", YES),
                Arguments.of("de acuerdo", YES),
                Arguments.of("vale", YES),
                Arguments.of("quiero una cita", YES),
                Arguments.of("sí, me gustaría agendar una cita", YES),
                Arguments.of("👍", YES),
                Arguments.of("👍🏽", YES),
                Arguments.of("yes 👍", YES),
                Arguments.of("yes but not this week", OTHER),
                Arguments.of("yes, can you call me?", OTHER),
                Arguments.of("ok I'll think about it", OTHER),
                // no
                Arguments.of("no", NO),
                Arguments.of("NO.", NO),
                Arguments.of("No!!!", NO),
                Arguments.of("nope", NO),
                Arguments.of("nah", NO),
                Arguments.of("No way", NO),
                Arguments.of("no thanks", NO),
                Arguments.of("No thank you.", NO),
                Arguments.of("not interested", NO),
                Arguments.of("No, not interested", NO),
                Arguments.of("not now", NO),
                Arguments.of("I already booked", NO),
                Arguments.of("I already have an appointment", NO),
                Arguments.of("no gracias", NO),
                Arguments.of("No, gracias.", NO),
                Arguments.of("no me interesa", NO),
                Arguments.of("ahora no", NO),
                Arguments.of("ya tengo cita", NO),
                Arguments.of("👎", NO),
                Arguments.of("no I have not booked yet", OTHER),
                // other
                Arguments.of("What is this about?", OTHER),
                Arguments.of("Who is this", OTHER),
                Arguments.of("Can I come Tuesday at 3?", OTHER),
                Arguments.of("thanks", OTHER),
                Arguments.of("2", OTHER),
                Arguments.of("?", OTHER),
                Arguments.of("🙂", OTHER),
                Arguments.of("   ", OTHER),
                Arguments.of("", OTHER));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @MethodSource("phrases")
    void classifiesPhrase(String text, ReplyKind expected) {
        assertThat(kindOf(text)).isEqualTo(expected);
    }

    @Test
    void phraseTableIsLarge() {
        assertThat(phrases().count()).isGreaterThanOrEqualTo(80);
    }

    // ---- exact keywords ----------------------------------------------------------------------

    @ParameterizedTest(name = "\"{0}\" exact={1}")
    @CsvSource(delimiter = '|', value = {
        "STOP|true", "stop|true", "  Stop.  |true", "stop!!!|true", "STOPALL|true", "unsubscribe|true",
        "cancel|true", "END|true", "quit|true", "revoke|true", "OptOut|true", "START|true", "unstop|true",
        "yes|true", "Yes!|true", "HELP|true", "info?|true",
        "stop please|false", "please stop|false", "opt out|false", "stop stop|false", "ＳＴＯＰ|false",
        "S.T.O.P|false", "¡stop|false", "no|false", "sí|false", "para|false", "stopp|false", "ok|false",
        "2|false", "yes 👍|false"})
    void marksTwilioExactKeywords(String text, boolean exact) {
        assertThat(CLASSIFIER.classify(text, 0).exactKeyword()).isEqualTo(exact);
    }

    @Test
    void exactKeywordKeepsItsKind() {
        assertThat(CLASSIFIER.classify("STOP", 0)).isEqualTo(new ClassifiedReply(OPT_OUT, 0, true));
        assertThat(CLASSIFIER.classify("Cancel.", 0)).isEqualTo(new ClassifiedReply(OPT_OUT, 0, true));
        assertThat(CLASSIFIER.classify("start", 0)).isEqualTo(new ClassifiedReply(OPT_IN, 0, true));
        assertThat(CLASSIFIER.classify("YES", 0)).isEqualTo(new ClassifiedReply(YES, 0, true));
        assertThat(CLASSIFIER.classify("info", 0)).isEqualTo(new ClassifiedReply(HELP, 0, true));
        assertThat(CLASSIFIER.classify("please stop texting me", 0)).isEqualTo(new ClassifiedReply(OPT_OUT, 0, false));
        assertThat(CLASSIFIER.classify("STOP", 3)).isEqualTo(new ClassifiedReply(OPT_OUT, 0, true));
    }

    // ---- slot choice -------------------------------------------------------------------------

    @ParameterizedTest(name = "\"{0}\" with 3 open slots -> {1}")
    @CsvSource(delimiter = '|', value = {
        "1|1", "2|2", "3|3", "#2|2", "2.|2", " 2 |2", "option 2|2", "Option #3|3", "number 1|1", "the 2nd one|2",
        "2nd|2", "second|2", "the first one|1", "one|1", "option one|1", "two|2", "3rd one please|3",
        "I'll take 2|2", "2 works for me|2", "yes 2|2", "Yes, #1 please|1", "02|2", "la 2|2", "la segunda|2",
        "opción 3|3", "dos|2", "la primera por favor|1", "2 2|2", "I can do 2|2",
        "Yes please schedule me for option 2|2", "book #3|3", "2 sounds good|2"})
    void picksAnOpenSlot(String text, int slot) {
        assertThat(CLASSIFIER.classify(text, 3)).isEqualTo(new ClassifiedReply(SLOT_CHOICE, slot, false));
    }

    @ParameterizedTest(name = "\"{0}\" with 3 open slots -> OTHER")
    @ValueSource(strings = {"4", "0", "#5", "option 9", "fourth", "99999999999999999999", "1 or 2", "2, 3",
        "2pm", "at 2", "the 10:30 one", "no 2", "2 or 3 please"})
    void numberOutsideTheOfferOrUnclearGoesToStaff(String text) {
        assertThat(CLASSIFIER.classify(text, 3)).isEqualTo(new ClassifiedReply(OTHER, 0, false));
    }

    @ParameterizedTest(name = "\"{0}\" without an offer -> OTHER")
    @ValueSource(strings = {"1", "2", "#2", "option 2", "the 2nd one"})
    void bareNumberWithoutAnOfferIsOther(String text) {
        assertThat(CLASSIFIER.classify(text, 0).kind()).isEqualTo(OTHER);
    }

    @Test
    void otherKindsStillWorkWithAnOpenOffer() {
        assertThat(CLASSIFIER.classify("yes", 2).kind()).isEqualTo(YES);
        assertThat(CLASSIFIER.classify("no", 2).kind()).isEqualTo(NO);
        assertThat(CLASSIFIER.classify("stop 2", 2).kind()).isEqualTo(OPT_OUT);
        assertThat(CLASSIFIER.classify("2 stop", 2).kind()).isEqualTo(OPT_OUT);
        assertThat(CLASSIFIER.classify("help", 2).kind()).isEqualTo(HELP);
        assertThat(CLASSIFIER.classify("1", 1)).isEqualTo(new ClassifiedReply(SLOT_CHOICE, 1, false));
        assertThat(CLASSIFIER.classify("10", 10)).isEqualTo(new ClassifiedReply(SLOT_CHOICE, 10, false));
        // "one" as a pronoun is not slot 1: the engine gets a YES and can repeat the offer.
        assertThat(CLASSIFIER.classify("I'd like one", 3).kind()).isEqualTo(YES);
    }

    @Test
    void negativeOpenSlotCountIsACallerBug() {
        assertThatThrownBy(() -> CLASSIFIER.classify("2", -1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageNotContaining("2\"");
    }

    // ---- opt-out keywords survive any wrapping -----------------------------------------------

    static Stream<String> optOutKeywords() {
        return Stream.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "OPT OUT",
                "OPT-OUT", "PARA", "BASTA", "ALTO", "CANCELAR", "PARAR");
    }

    @ParameterizedTest
    @MethodSource("optOutKeywords")
    void optOutKeywordIsNeverAnythingElseWhateverTheWrapping(String keyword) {
        var random = new Random(keyword.hashCode());
        String wrapping = " \t\n\r.,;:!?¡¿-_'\"()[]{}*#…“”‘’«»/\\|~";
        for (int run = 0; run < 500; run++) {
            String text = noise(random, wrapping) + randomCase(random, keyword) + noise(random, wrapping);
            for (int slots : new int[] {0, 3}) {
                ClassifiedReply reply = CLASSIFIER.classify(text, slots);
                assertThat(reply.kind()).as("run %d of %s", run, keyword).isEqualTo(OPT_OUT);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("optOutKeywords")
    void optOutKeywordWinsInsideOtherAnswers(String keyword) {
        if (List.of("CANCEL", "END", "PARA", "BASTA", "ALTO", "CANCELAR", "PARAR").contains(keyword)) {
            return; // everyday words: only alone or in clear phrases (see the phrase table)
        }
        for (String other : List.of("yes", "no", "2", "help", "start", "sí", "👍", "thanks", "ok sure")) {
            assertThat(kindOf(other + " " + keyword)).as("%s + %s", other, keyword).isEqualTo(OPT_OUT);
            assertThat(kindOf(keyword + ". " + other)).as("%s + %s", keyword, other).isEqualTo(OPT_OUT);
            assertThat(CLASSIFIER.classify(other + "! " + keyword.toLowerCase(Locale.ROOT), 3).kind()).isEqualTo(OPT_OUT);
        }
    }

    private static String noise(Random random, String alphabet) {
        var text = new StringBuilder();
        int length = random.nextInt(5);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static String randomCase(Random random, String keyword) {
        var text = new StringBuilder();
        for (char c : keyword.toCharArray()) {
            text.append(random.nextBoolean() ? Character.toLowerCase(c) : c);
        }
        return text.toString();
    }

    // ---- robustness --------------------------------------------------------------------------

    @Test
    void nullAndEmptyAreOther() {
        assertThat(CLASSIFIER.classify(null, 0)).isEqualTo(new ClassifiedReply(OTHER, 0, false));
        assertThat(CLASSIFIER.classify(null, 3)).isEqualTo(new ClassifiedReply(OTHER, 0, false));
        assertThat(CLASSIFIER.classify("", 0)).isEqualTo(new ClassifiedReply(OTHER, 0, false));
        assertThat(CLASSIFIER.classify(" \t\r\n ", 0)).isEqualTo(new ClassifiedReply(OTHER, 0, false));
    }

    @Test
    void hugeTextIsClassifiedWithoutFailing() {
        String filler = "I have a question about my visit and the parking situation downtown. ";
        String huge = filler.repeat(100_000 / filler.length() + 1);
        assertThat(kindOf(huge)).isEqualTo(OTHER);
        assertThat(kindOf(huge + " please stop texting me")).isEqualTo(OPT_OUT);
        assertThat(kindOf("yes ".repeat(25_000))).isEqualTo(YES);
        assertThat(kindOf("no ".repeat(25_000))).isEqualTo(NO);
        assertThat(kindOf("2 ".repeat(50_000))).isEqualTo(OTHER);
        assertThat(CLASSIFIER.classify("2 ".repeat(50_000), 3).kind()).isEqualTo(SLOT_CHOICE);
        assertThat(kindOf("a".repeat(100_000))).isEqualTo(OTHER);
        assertThat(kindOf("s".repeat(100_000))).isEqualTo(OTHER);
        assertThat(kindOf("!".repeat(100_000))).isEqualTo(OTHER);
    }

    @Test
    void malformedTextNeverThrows() {
        List<String> inputs = List.of(
                "\uD83D", "\uDE00", "yes\uD83D", "\uDE00stop", "st\uD800op", "\u0000\u0001\u0007\u001B",
                "y\u0000e\u0000s", "\uFFFF\uFFFE", "\u202Estop\u202C", "\uFEFFyes", "\u0301\u0301\u0301",
                "Z\u0351\u0348a\u0350\u034Cl\u0357g\u0344o", "\uD800".repeat(10_000), "\uE000 private use",
                "e\u0301".repeat(1000));
        for (String input : inputs) {
            for (int slots : new int[] {0, 2}) {
                ClassifiedReply reply = CLASSIFIER.classify(input, slots);
                assertThat(reply).isNotNull();
            }
        }
        assertThat(kindOf("\uDE00stop")).isEqualTo(OPT_OUT);
        assertThat(kindOf("\uD83Dstop\uD83D")).isEqualTo(OPT_OUT);
        assertThat(kindOf("\uFEFFyes")).isEqualTo(YES);
        assertThat(kindOf("\u202Estop\u202C")).isEqualTo(OPT_OUT);
        assertThat(kindOf("\u0000STOP\u0000")).isEqualTo(OPT_OUT);
        assertThat(kindOf("\uD83D")).isEqualTo(OTHER);
    }

    // ---- the record --------------------------------------------------------------------------

    @Test
    void classifiedReplyValidatesSlotNumber() {
        assertThatThrownBy(() -> new ClassifiedReply(SLOT_CHOICE, 0, false)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new ClassifiedReply(SLOT_CHOICE, -1, false)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new ClassifiedReply(YES, 2, false)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new ClassifiedReply(null, 0, false)).isInstanceOf(InvalidInputException.class);
        assertThat(new ClassifiedReply(SLOT_CHOICE, 2, false).slotNumber()).isEqualTo(2);
    }

    @Test
    void classifiedReplyToStringHasNoText() {
        assertThat(CLASSIFIER.classify("please stop texting me, Maria", 0).toString())
                .isEqualTo("ClassifiedReply[kind=OPT_OUT, slotNumber=0, exactKeyword=false]");
    }

    @Test
    void standardIsShared() {
        assertThat(ReplyClassifier.standard()).isSameAs(CLASSIFIER);
    }
}
