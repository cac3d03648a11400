package dev.followup.message;

/**
 * The character set an SMS is sent in, which decides how many characters fit in a segment and
 * therefore what the message costs.
 */
public enum SmsEncoding {
    /**
     * The GSM 03.38 7-bit default alphabet with its extension table: 160 septets in a single
     * segment, 153 per segment once split. Extension-table characters take two septets.
     */
    GSM_7,
    /**
     * UCS-2 (UTF-16 as carriers handle it): 70 code units in a single segment, 67 per segment once
     * split. One character outside GSM-7 puts the whole message in this encoding.
     */
    UCS_2
}
