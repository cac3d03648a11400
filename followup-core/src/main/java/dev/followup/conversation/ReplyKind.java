package dev.followup.conversation;

/** What a patient's text means to the engine. */
public enum ReplyKind {
    /** Stop all messages. */
    OPT_OUT,
    /** Resume messages (START). */
    OPT_IN,
    /** Asks who is writing (HELP, INFO). */
    HELP,
    /** Wants to schedule. */
    YES,
    /** Does not want the visit. */
    NO,
    /** Picks one of the offered slots. */
    SLOT_CHOICE,
    /** Anything else: a person reads it. */
    OTHER
}
