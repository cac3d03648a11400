/**
 * Ingestion of the EHR's follow-up list as CSV: header mapping profiles, encodings, phone normalisation and per-row errors.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.ingest;

import org.jspecify.annotations.NullMarked;
