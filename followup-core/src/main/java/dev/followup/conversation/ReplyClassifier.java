package dev.followup.conversation;

import dev.followup.InvalidInputException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Classifies a patient's reply to an outreach text: opt-out, opt-in, HELP, YES, NO, a slot choice,
 * or OTHER (for staff). English and Spanish. Immutable and thread-safe; one instance serves all
 * practices.
 *
 * <h2>Order and guarantees</h2>
 *
 * <ol>
 *   <li><b>Opt-out wins over everything.</b> A message with an opt-out anywhere is {@link
 *       ReplyKind#OPT_OUT}, whatever else it says ("yes stop", "Yes! but stop texting me"). A
 *       missed opt-out is a TCPA violation on every later text; a false one costs the patient a
 *       START, so doubtful wording leans to opt-out, but only where the wording is about the
 *       messages themselves.
 *   <li>Then OPT_IN, HELP, SLOT_CHOICE (only with an open offer), YES, NO; each needs the
 *       <em>whole</em> message to be an answer of that kind, so a reply with anything extra ("yes
 *       but not Tuesday") is {@link ReplyKind#OTHER} and reaches staff instead of being guessed.
 * </ol>
 *
 * <h2>Opt-out rules</h2>
 *
 * <ul>
 *   <li>STOP, STOPALL, UNSUBSCRIBE, QUIT, REVOKE, OPTOUT and "opt out" count <em>anywhere</em> in the
 *       message, in any case, with any punctuation, full-width letters, repeated letters
 *       ("STOPPP"), spelled out ("S.T.O.P") or with zero-width characters inside. The only
 *       exceptions are STOP and QUIT where the neighbouring words in the same clause plainly make
 *       them about something else, because opting out a patient who reports a symptom would also
 *       silence the follow-up they need:
 *       <ul>
 *         <li>a symptom or activity follows: "can't stop coughing", "stop taking my meds", "stop
 *             the medication", "quit smoking"; unless the messages or the number come right after
 *             it: "stop using my number", "stop having you text me", "stop my therapy reminders"
 *             are opt-outs;
 *         <li>it is negated and no messages follow: "my pain won't stop", "the bleeding doesn't
 *             stop", "I can't quit" (but "you won't stop texting me" is an opt-out);
 *         <li>a visit or a noun: "stop by the office", "bus stop", "non-stop".
 *       </ul>
 *       So "I can't stop coughing, yes I want an appointment" is not an opt-out; it is OTHER
 *       (staff), because it is not a bare yes either. "I can't stop coughing. Stop." is an opt-out:
 *       the second STOP has no exempting neighbour.
 *   <li>CANCEL and END (and Spanish "cancelar", "para", "parar", "alto", "basta", "baja") are
 *       everyday words: they count only when the message is just that word (optionally with
 *       "please", "now", "all", repeated), or when the messages themselves follow ("cancel these
 *       texts", "end all messages", "cancel my appointment reminders", "cancelar los mensajes",
 *       "para de escribirme", "ya basta"). "cancel my appointment", "cancel my text" (= ignore my
 *       last message), "cancelar mi cita" and "para el martes" are OTHER.
 *   <li>Plain wording: "don't text me", "do not contact me", "do not call", "never text me
 *       again", "no more messages", "remove me from your list", "take me off this list", "remove
 *       my number", "leave me alone", "I don't want these texts", a message that is only "remove
 *       me", "go away" or "no more"; Spanish "no me escriban", "no me manden mensajes", "no más
 *       mensajes", "dejen de escribirme", "sáquenme de la lista", "darme de baja". Also the 🛑
 *       emoji. Phrases never span a clause break, so "Cancel my appointment, text me the new
 *       time" is OTHER.
 *   <li>"no" alone is NO, never an opt-out; "not interested" is NO; "wrong number" is OTHER (the
 *       person is not the patient: staff must fix the number, and an opt-out would wrongly silence
 *       the real patient's email too).
 * </ul>
 *
 * <h2>Other kinds</h2>
 *
 * <ul>
 *   <li>OPT_IN, HELP: the whole message (ignoring "please", "thanks", greetings) is START, UNSTOP,
 *       "opt in", "comenzar"..., or HELP, INFO, "ayuda". "help me" or "I need help with..." is
 *       OTHER: a person should answer it.
 *   <li>SLOT_CHOICE, only while an offer is open: one number, as "2", "#2", "2.", "option 2",
 *       "the 2nd one", "second", "la segunda", optionally with "yes", "I'll take", "please", "works
 *       for me". A number outside the offer, two numbers ("1 or 2"), or a time ("2pm") is OTHER.
 *       "one" alone or with a label ("option one") is slot 1; "I'd like one" is YES.
 *   <li>YES: every word is from a small affirmative vocabulary and at least one is a yes ("yes",
 *       "sure", "ok", "schedule", "I'd like to book an appointment", "sí", "claro", "de acuerdo",
 *       "vale", 👍). A condition ("yes but not Tuesday") makes it OTHER.
 *   <li>NO: "no", "nope", "no thanks", "not interested", "not now", "maybe later", "I already
 *       booked", "I already have an appointment" (the engine can close the follow-up as declined;
 *       staff see the outcome), "no gracias", "no me interesa", "ya tengo cita", 👎.
 * </ul>
 *
 * <p>Classification never throws for any text: null, empty, huge, control characters and
 * malformed UTF-16 all yield a result (OTHER unless an opt-out is found). A 160-character message
 * takes microseconds; all patterns are compiled once.
 */
public final class ReplyClassifier {
    private static final ReplyClassifier STANDARD = new ReplyClassifier();

    /** Twilio's default single-word keywords on long codes (opt-out, opt-in, help). */
    private static final Set<String> TWILIO_KEYWORDS = Set.of(
            "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT",
            "START", "UNSTOP", "YES",
            "HELP", "INFO");
    private static final int LONGEST_TWILIO_KEYWORD = 11;

    /** Marks a clause break (sentence punctuation, line break) in the token stream. */
    private static final String BREAK = "|";

    private static final Set<String> FILLERS = Set.of(
            "please", "pls", "plz", "plez", "pleas", "plse", "plis", "porfa", "porfavor",
            "thanks", "thx", "thnx", "thks", "tks", "ty", "tysm", "thankyou", "thanx", "gracias",
            "hi", "hello", "hey", "hola");
    /** Two-word fillers, removed as pairs. */
    private static final Set<String> FILLER_PAIRS = Set.of(
            "thank you", "thank u", "por favor", "muchas gracias", "mil gracias", "so much", "very much");
    private static final Set<String> FILLER_PAIR_STARTS = firstWordsOf(FILLER_PAIRS);

    // ---- opt-out ---------------------------------------------------------------------------

    /** Words that opt out wherever they stand, unless the next words exempt them. */
    private static final Set<String> STOP_WORDS = Set.of("stop", "stopp", "quit");

    /** A STOP or QUIT followed directly by one of these is about something else. */
    private static final Set<String> STOP_EXEMPT_NEXT = Set.of(
            "by", "in", "over",
            "coughing", "sneezing", "bleeding", "hurting", "itching", "crying", "vomiting", "throwing",
            "shaking", "thinking", "worrying", "scratching", "aching", "burning", "swelling",
            "spinning", "sweating", "wheezing", "hiccuping", "hiccupping", "feeling", "having",
            "taking", "using", "eating", "drinking", "smoking", "vaping", "working", "running",
            "peeing", "shivering", "limping", "snoring", "breathing", "living", "existing");
    /** A STOP or QUIT followed by one of these and then a {@link #STOP_EXEMPT_NOUNS} is exempt. */
    private static final Set<String> STOP_EXEMPT_DETERMINERS = Set.of("the", "my", "this", "these", "that", "those", "his", "her");
    private static final Set<String> STOP_EXEMPT_NOUNS = Set.of(
            "medication", "medications", "meds", "medicine", "medicines", "pill", "pills", "tablets",
            "bleeding", "pain", "treatment", "antibiotic", "antibiotics", "drops", "cream", "inhaler",
            "insulin", "dose", "therapy", "diet", "cough", "job", "prescription");
    /**
     * A negated STOP or QUIT describes a symptom ("my pain won't stop", "the bleeding doesn't stop",
     * "I can't quit") unless messages follow ("you won't stop texting me").
     */
    private static final Set<String> NEGATIONS = Set.of(
            "wont", "doesnt", "didnt", "cant", "cannot", "couldnt", "wouldnt", "isnt", "hasnt", "havent", "not",
            "never", "dont", "aint", "shouldnt");
    /** Beginnings of words about the messages themselves ("texting", "calls", "reminders"). */
    private static final List<String> MESSAGING_PREFIXES = List.of(
            "text", "txt", "messag", "msg", "sms", "call", "email", "contact", "send", "bug", "bother", "spam",
            "harass", "writ", "remind", "ask", "pester", "notif", "alert", "follow");
    /** Words that may stand between an exempting word and the messages it is about ("using <em>my</em> number"). */
    private static final Set<String> MESSAGE_OBJECT_LEADS = Set.of(
            "the", "my", "this", "these", "that", "those", "your", "ur", "all", "any", "you", "u", "me", "us");
    /** The patient's number, which a STOP is about as much as the messages ("stop using my number"). */
    private static final Set<String> CONTACT_NOUNS = Set.of(
            "number", "phone", "cell", "cellphone", "mobile", "numero", "telefono", "celular");
    /** A STOP preceded by one of these is a noun ("bus stop", "non-stop"). */
    private static final Set<String> STOP_EXEMPT_PREVIOUS = Set.of("bus", "non", "pit", "truck", "rest");

    /** Everyday words that opt out only when they make up the whole message. */
    private static final Set<String> AMBIGUOUS_OPT_OUT = Set.of(
            "end", "cancel", "cancelar", "para", "parar", "paren", "pare", "alto", "basta", "baja", "enough");
    /** Words allowed beside {@link #AMBIGUOUS_OPT_OUT} in a whole-message opt-out ("cancel all", "para ya"). */
    private static final Set<String> AMBIGUOUS_HELPERS = Set.of("all", "now", "ya", "todo", "todos", "asap");
    /** Whole messages that opt out though they are not keywords. */
    private static final Set<String> WHOLE_OPT_OUT = Set.of(
            "no more", "no mas", "no texts", "no text", "no messages", "no texting", "no text messages",
            "no sms", "no mensajes", "remove me", "take me off", "go away");

    private static final String CONTACT_NOUN = "(?:texts?|txts?|messages?|msgs?|text messages|sms|reminders?|emails?"
            + "|calls?|notifications?|alerts?|texting|messaging|contact)";
    private static final String CONTACT_VERB = "(?:text|txt|message|msg|contact|call|email|e mail|sms|write|send|bother"
            + "|spam|texting|txting|messaging|contacting|calling|emailing)";
    /** What a patient asks to be removed from ("your list", "these texts"). */
    private static final String LIST_NOUN = "(?:(?:your|the|this|ur|that|all|these|those|of) ){0,2}(?:list|lists|mailing list"
            + "|texting list|contact list|texts|messages|texting|contacts|reminders|sms|system|database|service|program"
            + "|notifications|alerts)";
    /** Plural on purpose: "cancel my text" usually means "ignore my last message", not an opt-out. */
    private static final String MESSAGES_NOUN = "(?:texts|txts|text messages|messages|msgs|sms|texting|messaging|reminders"
            + "|notifications|alerts|subscriptions?|emails)";
    private static final String SPANISH_NOUN = "(?:mensajes?|textos?|sms|recordatorios?|notificaciones?|suscripcion"
            + "|correos?|alertas?|llamadas?)";

    /**
     * Opt-out phrases, matched anywhere in the space-separated, normalised words. Each starts with
     * a literal word or a group of literal alternatives, from which {@link #PHRASE_FIRST_WORDS}
     * is read.
     */
    private static final List<String> OPT_OUT_PHRASE_LIST = List.of(
                    // English keywords that are never anything else
                    "stopall", "unsub", "unsubscribe[sd]?", "unsubscribing", "unsuscribe", "unsubcribe",
                    "unsubscibe", "unsubscrive", "un subscribe", "revoke[sd]?", "revoking",
                    "optout", "opt(?:ing|ed)? (?:me )?out",
                    // plain English
                    "(?:dont|do not|dnt) (?:ever )?" + CONTACT_VERB,
                    // "never" alone is often a complaint ("you never call me back"): only with "again"
                    "never (?:ever )?" + CONTACT_VERB + " (?:(?:me|us|this number|my number|this phone|my phone|here) )?again",
                    "no more (?:(?:of )?(?:these|your|the|ur) )?" + CONTACT_NOUN,
                    "(?:dont|do not|no longer) want (?:to (?:receive|get) )?(?:(?:any|more|these|your|this|those|the|anymore"
                            + "|ur) ){0,3}" + CONTACT_NOUN,
                    "(?:remove|delete|erase|take|get) (?:me|us|my (?:number|phone|cell|info|information|contact|name)) "
                            + "(?:from|off|off of|out of) " + LIST_NOUN,
                    "(?:remove|delete|erase) my (?:number|phone number|cell|cell number)",
                    "leave me alone", "fuck off", "f off", "piss off",
                    "(?:cancel|end) (?:(?:all|these|the|my|your|this|those|of|any|future|ur) ){0,3}" + MESSAGES_NOUN,
                    "(?:cancel|end) (?:(?:all|these|the|my|your|this|those|any|future|ur) ){0,2}(?:appointment|appt) "
                            + "(?:reminders|texts|messages|notifications|alerts)",
                    // Spanish
                    "desuscrib\\w*", "desinscrib\\w*",
                    "(?:para|paren|pare|parar|deja|dejen|deje|dejar|dejes) de (?:escrib|envi|mand|molest|text|contact|llam"
                            + "|fastidi|acos)\\w*",
                    "no (?:me )?(?:(?:vuelvan|vuelvas|vuelva) a )?(?:escriban|escribas|escriba|escribir|manden|mandes|mande"
                            + "|mandar|envien|envies|envie|enviar|contacten|contactes|contacte|contactar|molesten|molestes"
                            + "|moleste|molestar|llamen|llames|llame|llamar|texteen|textees|textee)",
                    "no mas " + SPANISH_NOUN,
                    "no (?:quiero|deseo) (?:recibir )?(?:mas )?(?:(?:sus|estos|los|ningun|ningunos|mas) )?" + SPANISH_NOUN,
                    "(?:sacame|sacarme|saquenme|eliminame|eliminarme|eliminenme|borrame|borrarme|borrenme|quitame"
                            + "|quitarme|quitenme) de",
                    "(?:dar|darme|denme|deme|dame|dese|doy|darse) de baja",
                    "ya basta", "basta ya", "basta de \\w+",
                    "cancelar (?:(?:los|las|mis|estos|estas|sus|todos|todas|el|la|mi|tu) ){0,3}" + SPANISH_NOUN,
                    "(?:parar|paren|pare) (?:(?:los|estos|sus|todos) ){0,2}(?:mensajes|textos)");
    /** All phrases, anchored where a word starts (the matcher is started at word starts only). */
    private static final Pattern OPT_OUT_PHRASES = Pattern.compile("(?:" + String.join("|", OPT_OUT_PHRASE_LIST) + ")(?= )");
    /**
     * Words a phrase can start with. Trying the combined pattern only where one of them stands
     * keeps a typical message in the low microseconds instead of running ~40 alternatives at every
     * word.
     */
    private static final Set<String> PHRASE_FIRST_WORDS = firstWords(OPT_OUT_PHRASE_LIST, false);
    /** Prefixes a phrase's first word can start with ("unsubscribe[sd]?" gives "unsubscribe"). */
    private static final Set<String> PHRASE_FIRST_PREFIXES = firstWords(OPT_OUT_PHRASE_LIST, true);

    // ---- opt-in and help ---------------------------------------------------------------------

    private static final Set<String> OPT_IN = Set.of(
            "start", "unstop", "unstop me", "opt in", "optin", "opt me in", "opt back in", "subscribe", "resubscribe",
            "start again", "restart", "start texts", "start messages", "start texting", "start texting me",
            "start texting me again", "you can text me again", "comenzar", "iniciar", "empezar", "reanudar",
            "darme de alta", "dar de alta", "de alta");

    private static final Set<String> HELP = Set.of("help", "info", "information", "ayuda", "informacion", "help info");

    // ---- yes / no ----------------------------------------------------------------------------

    /** Words that make a message a yes; the whole message must still be within {@link #YES_VOCABULARY}. */
    private static final Set<String> YES_CORE = Set.of(
            "yes", "yess", "y", "ye", "yeah", "yea", "yeh", "yah", "yep", "yup", "yas", "sure", "ok", "okay", "okey",
            "okie", "k", "kk", "alright", "absolutely", "definitely", "certainly", "schedule", "book", "like", "love",
            "want", "wanna", "great", "perfect",
            "si", "sii", "claro", "acuerdo", "vale", "dale", "bien", "bueno", "perfecto", "supuesto", "quiero",
            "agendar", "programar", "gustaria", "listo", "lista");
    private static final Set<String> YES_CORE_PAIRS = Set.of(
            "sounds good", "sound good", "sounds great", "that works", "works for me", "go ahead", "of course",
            "i do", "lets do it", "all right");
    private static final Set<String> YES_CORE_PAIR_STARTS = firstWordsOf(YES_CORE_PAIRS);
    /**
     * Every word a plain yes may contain. Deliberately without negations, "but", "later", "cancel",
     * days or times: a yes with a condition is for staff, not for an automatic slot offer.
     */
    private static final Set<String> YES_VOCABULARY = union(YES_CORE, Set.of(
            "i", "id", "ill", "im", "we", "wed", "would", "will", "do", "can", "to", "an", "a", "the", "my", "me",
            "us", "it", "that", "this", "one", "make", "set", "up", "setup", "get", "appointment", "appt",
            "appointments", "visit", "follow", "followup", "checkup", "check", "sounds", "sound", "good", "works",
            "work", "for", "of", "course", "go", "ahead", "lets", "let", "be", "thing", "please", "all", "right",
            "very", "much", "so", "really",
            "que", "de", "esta", "por", "hacer", "una", "un", "cita", "mi", "yo", "lo", "la", "muy"));

    private static final String NO_WORD = "(?:no|noo|nope|nop|nah|n|nay)";
    private static final Pattern NO_PATTERN = Pattern.compile("(?:" + NO_WORD + " )?(?:" + NO_WORD + "|"
            + String.join("|",
                    "no way", "not interested", "(?:im|i am) not interested", "not now", "not right now", "not at this time",
                    "not yet", "not today", "not this time", "maybe later", "no need", "not needed",
                    "(?:i )?dont need (?:one|it|an appointment|an appt|to)?",
                    "(?:i )?already (?:booked|scheduled|did|done|made one|made an appointment|made an appt"
                            + "|have one|have an appointment|have an appt|have a appointment|booked one|scheduled one)",
                    "(?:im|i am) all set", "all set", "(?:im|i am) good", "(?:im|i am) fine", "not for me",
                    "no me interesa", "no estoy interesad[oa]", "ahora no", "no por ahora", "por ahora no", "todavia no",
                    "aun no", "ya tengo (?:una )?cita", "ya tengo una", "ya hice (?:una )?cita", "ya (?:agende|programe)",
                    "no quiero", "no necesito(?: cita| una cita)?", "no la necesito", "no gracias")
            + ")");

    /** Thumbs up, OK hand, check marks. */
    private static final Set<Integer> YES_EMOJI = Set.of(0x1F44D, 0x1F44C, 0x2705, 0x2714, 0x2611);
    /** Thumbs down, cross mark. */
    private static final Set<Integer> NO_EMOJI = Set.of(0x1F44E, 0x274C);
    /** 🛑 — as plain a "stop" as the word. */
    private static final int STOP_SIGN = 0x1F6D1;

    // ---- slot choice -------------------------------------------------------------------------

    /** Words that may surround a slot number ("I'll take option 2", "the 2nd one works", "la 2 por favor"). */
    private static final Set<String> SLOT_NOISE = Set.of(
            "yes", "y", "yeah", "yep", "yup", "ok", "okay", "sure", "si", "claro", "vale",
            "i", "ill", "id", "im", "will", "would", "like", "want", "wanna", "take", "choose", "pick", "go", "with",
            "lets", "do", "prefer", "the", "option", "opt", "number", "num", "nr", "slot", "choice", "time", "one",
            "works", "work", "is", "good", "fine", "great", "perfect", "for", "me", "that", "please", "can",
            "schedule", "book", "sounds", "sound", "it",
            "opcion", "numero", "la", "el", "quiero", "gustaria", "prefiero", "elijo", "escojo", "tomo", "esta",
            "bien", "perfecto", "de", "acuerdo");
    /** Words that may stand beside a bare "one" for it to mean slot 1 ("option one"). */
    private static final Set<String> SLOT_LABELS = Set.of(
            "one", "option", "opt", "number", "num", "nr", "slot", "choice", "yes", "ok", "okay", "opcion", "numero");
    private static final Pattern SLOT_DIGITS = Pattern.compile("([0-9]+)(?:st|nd|rd|th|o|a|ro|ra|do|da|to|ta|er|vo|va|no|na)?");
    private static final List<String> NUMBER_WORDS = List.of(
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten");
    private static final List<String> ORDINAL_WORDS = List.of(
            "zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth");
    private static final List<String> SPANISH_NUMBERS = List.of(
            "cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez");
    private static final List<String> SPANISH_ORDINALS = List.of(
            "", "primer", "segund", "tercer", "cuart", "quint", "sext", "septim", "octav", "noven", "decim");
    private static final int NOT_A_NUMBER = -1;
    private static final int NOT_A_SLOT_REPLY = -1;

    private ReplyClassifier() {
    }

    /**
     * The standard rules, English and Spanish, as described on this class.
     *
     * @return the shared classifier
     */
    public static ReplyClassifier standard() {
        return STANDARD;
    }

    /**
     * Classifies one inbound text.
     *
     * @param text the message as received; null or blank is {@link ReplyKind#OTHER}
     * @param openSlotCount how many slots the patient was offered and may still pick from (numbered
     *     1 to {@code openSlotCount}); 0 when there is no open offer, in which case a bare number is
     *     OTHER, as is a number outside the offer
     * @return the classification; never null, and never an exception for any text
     * @throws InvalidInputException if {@code openSlotCount} is negative (a caller bug, not text)
     */
    public ClassifiedReply classify(@Nullable String text, int openSlotCount) {
        if (openSlotCount < 0) {
            throw new InvalidInputException("open slot count cannot be negative (was " + openSlotCount + ")");
        }
        if (text == null || text.isEmpty()) {
            return new ClassifiedReply(ReplyKind.OTHER, 0, false);
        }
        boolean exact = isExactTwilioKeyword(text);
        Words words = Words.of(text);
        if (isOptOut(words)) {
            return new ClassifiedReply(ReplyKind.OPT_OUT, 0, exact);
        }
        String whole = words.whole;
        if (OPT_IN.contains(whole)) {
            return new ClassifiedReply(ReplyKind.OPT_IN, 0, exact);
        }
        if (HELP.contains(whole)) {
            return new ClassifiedReply(ReplyKind.HELP, 0, exact);
        }
        if (openSlotCount > 0) {
            int slot = slotNumber(words.core);
            if (slot != NOT_A_SLOT_REPLY) {
                return slot >= 1 && slot <= openSlotCount
                        ? new ClassifiedReply(ReplyKind.SLOT_CHOICE, slot, exact)
                        : new ClassifiedReply(ReplyKind.OTHER, 0, exact);
            }
        }
        if (isYes(words)) {
            return new ClassifiedReply(ReplyKind.YES, 0, exact);
        }
        if (isNo(words)) {
            return new ClassifiedReply(ReplyKind.NO, 0, exact);
        }
        return new ClassifiedReply(ReplyKind.OTHER, 0, exact);
    }

    // ---- rules -------------------------------------------------------------------------------

    private static boolean isOptOut(Words words) {
        if (words.stopSign) {
            return true;
        }
        if (hasOptOutPhrase(words)) {
            return true;
        }
        if (hasUnexemptedStopWord(words.tokens)) {
            return true;
        }
        if (WHOLE_OPT_OUT.contains(words.whole) || isAmbiguousKeywordAlone(words.core)) {
            return true;
        }
        // "S.T.O.P", "s t o p": letters spelled out one by one.
        String spelled = words.spelledOut();
        return isOptOutKeyword(spelled) || AMBIGUOUS_OPT_OUT.contains(spelled);
    }

    private static boolean hasOptOutPhrase(Words words) {
        Matcher matcher = null;
        for (int i = 0; i < words.words.size(); i++) {
            if (!startsPhrase(words.words.get(i))) {
                continue;
            }
            if (matcher == null) {
                matcher = OPT_OUT_PHRASES.matcher(words.flat);
            }
            matcher.region(words.offsets[i], words.flat.length());
            if (matcher.lookingAt()) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsPhrase(String word) {
        if (PHRASE_FIRST_WORDS.contains(word)) {
            return true;
        }
        for (String prefix : PHRASE_FIRST_PREFIXES) {
            if (word.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads the first words of the phrases: the literal first word, or each first word of a
     * leading {@code (?:a|b c|d)} group. A word with regex syntax in it counts as a prefix (its
     * literal part), so "opt(?:ing|ed)?" gives the prefix "opt". A start it cannot read gives the
     * empty prefix, which matches every word: correctness never depends on this optimisation.
     *
     * @param prefixes whether to return the prefixes or the exact words
     */
    private static Set<String> firstWords(List<String> phrases, boolean prefixes) {
        var result = new HashSet<String>();
        for (String phrase : phrases) {
            List<String> alternatives;
            if (phrase.startsWith("(?:")) {
                int depth = 0;
                int close = -1;
                for (int i = 0; i < phrase.length() && close < 0; i++) {
                    char c = phrase.charAt(i);
                    if (c == '(') {
                        depth++;
                    } else if (c == ')' && --depth == 0) {
                        close = i;
                    }
                }
                String group = close < 0 ? "(" : phrase.substring(3, close);
                if (group.contains("(")) {
                    // Unreadable start: the empty prefix makes every word a candidate. Slower, never a miss.
                    result.add(prefixes ? "" : phrase);
                    continue;
                }
                alternatives = List.of(group.split("\\|"));
            } else {
                alternatives = List.of(phrase);
            }
            for (String alternative : alternatives) {
                int space = alternative.indexOf(' ');
                String word = space < 0 ? alternative : alternative.substring(0, space);
                int syntax = indexOfRegexSyntax(word);
                if (syntax < 0 && !prefixes) {
                    result.add(word);
                } else if (syntax >= 0 && prefixes) {
                    result.add(word.substring(0, syntax)); // "" when there is no literal start: every word
                }
            }
        }
        return Set.copyOf(result);
    }

    private static int indexOfRegexSyntax(String word) {
        for (int i = 0; i < word.length(); i++) {
            if ("[](){}\\?*+.|^$".indexOf(word.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isOptOutKeyword(String lowerCase) {
        return switch (lowerCase) {
            case "stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout" -> true;
            default -> false;
        };
    }

    private static boolean hasUnexemptedStopWord(List<String> tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            String word = tokens.get(i);
            if (STOP_WORDS.contains(word) && !isExemptStop(tokens, i)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the STOP/QUIT at {@code i} is about something other than the messages (see class doc). */
    private static boolean isExemptStop(List<String> tokens, int i) {
        String previous = i > 0 ? tokens.get(i - 1) : BREAK;
        if (tokens.get(i).startsWith("stop") && STOP_EXEMPT_PREVIOUS.contains(previous)) {
            return true;
        }
        String next = i + 1 < tokens.size() ? tokens.get(i + 1) : BREAK;
        if (STOP_EXEMPT_NEXT.contains(next) && !namesMessagesOrNumber(tokens, i + 2)) {
            return true;
        }
        if (NEGATIONS.contains(previous) && !isAboutMessages(tokens, i + 1)) {
            return true;
        }
        String afterNext = i + 2 < tokens.size() ? tokens.get(i + 2) : BREAK;
        return STOP_EXEMPT_DETERMINERS.contains(next) && STOP_EXEMPT_NOUNS.contains(afterNext) && !namesMessagesOrNumber(tokens, i + 3);
    }

    /**
     * Whether the word at {@code j}, after at most one determiner or pronoun, names the messages or
     * the patient's number: what turns an exempting activity or noun back into an opt-out ("stop
     * using my number", "quit having you text me", "stop these medication reminders"). Only the
     * words right there count, so that a request later in the clause ("stop taking my meds, call
     * me") does not.
     */
    private static boolean namesMessagesOrNumber(List<String> tokens, int j) {
        int k = j < tokens.size() && MESSAGE_OBJECT_LEADS.contains(tokens.get(j)) ? j + 1 : j;
        if (k >= tokens.size()) {
            return false;
        }
        String word = tokens.get(k);
        return isMessagingWord(word) || CONTACT_NOUNS.contains(word);
    }

    /** Whether the words from {@code j} on (in the same clause) name the messages: "texting me", "your calls". */
    private static boolean isAboutMessages(List<String> tokens, int j) {
        if (j >= tokens.size()) {
            return false;
        }
        String word = tokens.get(j);
        if (isMessagingWord(word)) {
            return true;
        }
        boolean determiner = STOP_EXEMPT_DETERMINERS.contains(word) || word.equals("your") || word.equals("ur")
                || word.equals("all") || word.equals("any");
        return determiner && j + 1 < tokens.size() && isMessagingWord(tokens.get(j + 1));
    }

    private static boolean isMessagingWord(String word) {
        for (String prefix : MESSAGING_PREFIXES) {
            if (word.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAmbiguousKeywordAlone(List<String> core) {
        boolean keyword = false;
        for (String word : core) {
            if (AMBIGUOUS_OPT_OUT.contains(word)) {
                keyword = true;
            } else if (!AMBIGUOUS_HELPERS.contains(word)) {
                return false;
            }
        }
        return keyword;
    }

    private static boolean isYes(Words words) {
        List<String> core = words.core;
        if (core.isEmpty()) {
            return words.yesEmoji && !words.noEmoji;
        }
        boolean affirmative = false;
        for (int i = 0; i < core.size(); i++) {
            String word = core.get(i);
            if (!YES_VOCABULARY.contains(word)) {
                return false;
            }
            affirmative |= YES_CORE.contains(word) || YES_CORE_PAIR_STARTS.contains(word) && (
                    i + 1 < core.size() && YES_CORE_PAIRS.contains(word + " " + core.get(i + 1))
                    || i + 2 < core.size() && YES_CORE_PAIRS.contains(word + " " + core.get(i + 1) + " " + core.get(i + 2)));
        }
        return affirmative;
    }

    private static boolean isNo(Words words) {
        if (words.core.isEmpty()) {
            return words.noEmoji && !words.yesEmoji;
        }
        return words.whole.length() <= 80 && NO_PATTERN.matcher(words.whole).matches();
    }

    /**
     * @return the slot number the words pick (possibly out of range), or {@link #NOT_A_SLOT_REPLY}
     *     if they are not a slot choice (no number, two different numbers, or other words)
     */
    private static int slotNumber(List<String> core) {
        int chosen = NOT_A_NUMBER;
        boolean sawOne = false;
        boolean onlyLabels = true;
        for (String word : core) {
            if (SLOT_NOISE.contains(word)) {
                sawOne |= word.equals("one");
                onlyLabels &= SLOT_LABELS.contains(word);
                continue;
            }
            int value = numberValue(word);
            if (value == NOT_A_NUMBER || chosen != NOT_A_NUMBER && chosen != value) {
                return NOT_A_SLOT_REPLY;
            }
            chosen = value;
        }
        if (chosen == NOT_A_NUMBER) {
            // "one" is both a number and a pronoun ("I'd like one"): only with labels is it slot 1.
            return sawOne && onlyLabels ? 1 : NOT_A_SLOT_REPLY;
        }
        return chosen;
    }

    /** @return the value of "2", "2nd", "two", "second", "dos", "segunda"...; a huge number is {@code Integer.MAX_VALUE} */
    private static int numberValue(String word) {
        var digits = SLOT_DIGITS.matcher(word);
        if (digits.matches()) {
            String number = digits.group(1);
            return number.length() > 6 ? Integer.MAX_VALUE : Integer.parseInt(number);
        }
        int index = NUMBER_WORDS.indexOf(word);
        if (index < 0) {
            index = ORDINAL_WORDS.indexOf(word);
        }
        if (index < 0) {
            index = SPANISH_NUMBERS.indexOf(word);
        }
        if (index < 0 && (word.endsWith("o") || word.endsWith("a")) && word.length() > 2) {
            index = SPANISH_ORDINALS.indexOf(word.substring(0, word.length() - 1));
        }
        if (index < 0) {
            index = SPANISH_ORDINALS.indexOf(word); // "primer", "tercer"
        }
        return index <= 0 ? NOT_A_NUMBER : index;
    }

    /**
     * Twilio matches its keywords on the trimmed message, case-insensitively. Trailing
     * punctuation is ignored too (the engine's contract), but anything beyond ASCII letters is not
     * a match: Twilio would not recognise "ＳＴＯＰ" or "ſtop", so we must confirm those ourselves.
     */
    private static boolean isExactTwilioKeyword(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && (Character.isWhitespace(text.charAt(end - 1)) || isPunctuation(text.charAt(end - 1)))) {
            end--;
        }
        if (end - start == 0 || end - start > LONGEST_TWILIO_KEYWORD) {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return TWILIO_KEYWORDS.contains(text.substring(start, end).toUpperCase(Locale.ROOT));
    }

    private static boolean isPunctuation(char c) {
        return switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    private static Set<String> firstWordsOf(Set<String> phrases) {
        var firsts = new HashSet<String>();
        for (String phrase : phrases) {
            firsts.add(phrase.substring(0, phrase.indexOf(' ')));
        }
        return Set.copyOf(firsts);
    }

    private static Set<String> union(Set<String> first, Set<String> second) {
        var all = new HashSet<String>(first);
        all.addAll(second);
        return Set.copyOf(all);
    }

    /**
     * A message reduced to lower-case, accent-free words. Holds message text, so it never leaves
     * this class and has no {@code toString}.
     */
    private static final class Words {
        /** Words in order, with {@link #BREAK} between clauses. */
        final List<String> tokens;
        /** The words without breaks. */
        final List<String> words;
        /**
         * The words space-separated, with a space at both ends and {@code |} at clause breaks, so
         * that no phrase spans two clauses ("cancel my appointment, texts are fine").
         */
        final String flat;
        /** Where each of {@link #words} starts in {@link #flat}. */
        final int[] offsets;
        /** The words without breaks and fillers ("please", "thanks", "hi"), runs of one word collapsed. */
        final List<String> core;
        /** {@link #core} joined by single spaces. */
        final String whole;
        final boolean yesEmoji;
        final boolean noEmoji;
        final boolean stopSign;

        private Words(List<String> tokens, boolean yesEmoji, boolean noEmoji, boolean stopSign) {
            this.tokens = tokens;
            this.yesEmoji = yesEmoji;
            this.noEmoji = noEmoji;
            this.stopSign = stopSign;
            var flatText = new StringBuilder(" ");
            var plain = new ArrayList<String>(tokens.size());
            var starts = new int[tokens.size()];
            for (String token : tokens) {
                if (!token.equals(BREAK)) {
                    starts[plain.size()] = flatText.length();
                    plain.add(token);
                }
                flatText.append(token).append(' ');
            }
            this.words = plain;
            this.flat = flatText.toString();
            this.offsets = starts;
            this.core = withoutFillers(plain);
            this.whole = String.join(" ", core);
        }

        static Words of(String text) {
            var cleaned = new StringBuilder(text.length());
            boolean yes = false;
            boolean no = false;
            boolean stop = false;
            boolean ascii = true;
            int i = 0;
            while (i < text.length()) {
                int cp = text.codePointAt(i);
                i += Character.charCount(cp);
                if (cp >= ' ' && cp < 0x7F && cp != '\'' && cp != '`') {
                    cleaned.append((char) cp); // the common case, decided without a table lookup
                    continue;
                }
                int type = Character.getType(cp);
                if (cp >= 0x2000 && YES_EMOJI.contains(cp)) {
                    yes = true;
                    cleaned.append(' ');
                } else if (cp >= 0x2000 && NO_EMOJI.contains(cp)) {
                    no = true;
                    cleaned.append(' ');
                } else if (cp == STOP_SIGN) {
                    stop = true;
                    cleaned.append(' ');
                } else if (isApostrophe(cp) || type == Character.FORMAT) {
                    // "don't" reads as one word "dont"; zero-width and soft hyphens join too, so
                    // "st\u200Bop" and "un\u00ADsubscribe" are still the keywords.
                    continue;
                } else if (cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029 || cp == 0x85) {
                    cleaned.append('.');
                } else if (type == Character.SURROGATE || type == Character.CONTROL || type == Character.UNASSIGNED
                        || type == Character.PRIVATE_USE) {
                    cleaned.append(' ');
                } else {
                    cleaned.appendCodePoint(cp);
                    ascii &= cp < 0x80;
                }
            }
            // NFKD folds full-width and compatibility letters to ASCII and splits accents off, so
            // "ＳＴＯＰ" is "STOP" and "más" is "mas" once the marks are dropped.
            String decomposed = ascii ? cleaned.toString() : Normalizer.normalize(cleaned, Normalizer.Form.NFKD);
            return new Words(tokenize(decomposed), yes, no, stop);
        }

        private static List<String> tokenize(String text) {
            var tokens = new ArrayList<String>();
            var word = new StringBuilder();
            int i = 0;
            while (i < text.length()) {
                int cp = text.codePointAt(i);
                i += Character.charCount(cp);
                if (cp < 0x80) {
                    if (cp >= 'a' && cp <= 'z' || cp >= '0' && cp <= '9') {
                        word.append((char) cp);
                        continue;
                    }
                    if (cp >= 'A' && cp <= 'Z') {
                        word.append((char) (cp + ('a' - 'A')));
                        continue;
                    }
                } else {
                    int type = Character.getType(cp);
                    if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                            || type == Character.COMBINING_SPACING_MARK) {
                        continue;
                    }
                    if (Character.isLetterOrDigit(cp)) {
                        word.appendCodePoint(Character.toLowerCase(cp));
                        continue;
                    }
                }
                endWord(word, tokens);
                if (isClauseBreak(cp) && !tokens.isEmpty() && !tokens.get(tokens.size() - 1).equals(BREAK)) {
                    tokens.add(BREAK);
                }
            }
            endWord(word, tokens);
            return tokens;
        }

        private static void endWord(StringBuilder word, List<String> tokens) {
            if (word.length() > 0) {
                tokens.add(squeezed(word));
                word.setLength(0);
            }
        }

        /**
         * Collapses a run of three or more of the same letter to one ("stooop", "STOPPP", "yesss",
         * "nooo"); a double letter ("book") and digits ("111") are kept.
         */
        private static String squeezed(CharSequence word) {
            if (!hasTripleLetter(word)) {
                return word.toString();
            }
            var out = new StringBuilder(word.length());
            int i = 0;
            while (i < word.length()) {
                char c = word.charAt(i);
                int run = 1;
                while (i + run < word.length() && word.charAt(i + run) == c) {
                    run++;
                }
                boolean collapse = run >= 3 && Character.isLetter(c);
                for (int k = 0; k < (collapse ? 1 : run); k++) {
                    out.append(c);
                }
                i += run;
            }
            return out.toString();
        }

        private static boolean hasTripleLetter(CharSequence word) {
            for (int i = 2; i < word.length(); i++) {
                char c = word.charAt(i);
                if (c == word.charAt(i - 1) && c == word.charAt(i - 2) && Character.isLetter(c)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean isApostrophe(int cp) {
            return cp == '\'' || cp == '\u2019' || cp == '\u2018' || cp == '\u02BC' || cp == '`' || cp == '\u00B4'
                    || cp == '\u2032';
        }

        private static boolean isClauseBreak(int cp) {
            return switch (cp) {
                case '.', ',', ';', ':', '!', '?', '\u00A1', '\u00BF', '\u2026', '\u3002', '\uFF01', '\uFF1F' -> true;
                default -> false;
            };
        }

        private static List<String> withoutFillers(List<String> words) {
            var kept = new ArrayList<String>(words.size());
            int i = 0;
            while (i < words.size()) {
                String word = words.get(i);
                if (i + 1 < words.size() && FILLER_PAIR_STARTS.contains(word)
                        && FILLER_PAIRS.contains(word + " " + words.get(i + 1))) {
                    i += 2;
                    continue;
                }
                i++;
                if (FILLERS.contains(word) || !kept.isEmpty() && kept.get(kept.size() - 1).equals(word)) {
                    continue;
                }
                kept.add(word);
            }
            return kept;
        }

        /** @return the letters when every word is a single letter ("s t o p"), else "" */
        String spelledOut() {
            if (core.size() < 3) {
                return "";
            }
            var letters = new StringBuilder(core.size());
            for (String word : core) {
                if (word.length() != 1) {
                    return "";
                }
                letters.append(word);
            }
            return letters.toString();
        }
    }
}
