/**
 * The report pages and the staff task board over HTTP, without a web framework:
 * {@link dev.followup.web.ReportPages} maps a {@link dev.followup.web.WebRequest} (method, path,
 * parameters, the signed-in user, the session's anti-forgery token) to a
 * {@link dev.followup.web.WebResponse}, and the host decides who may see which practice through
 * {@link dev.followup.web.PracticeAccess}. A host (a Spring controller, a servlet, the JDK's HTTP
 * server) only translates requests and responses.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.followup.web;

import org.jspecify.annotations.NullMarked;
