/**
 * The HTTP edge every controller shares: validating input ({@code Inputs}, {@code
 * RequestIdentity}), turning an outcome into the answer ({@code Answers}, {@code PreferredWait}),
 * limits, security, problem answers, the API description, settings. No domain rule lives here; it
 * depends on no feature package.
 */
package dev.streamledger.command.system;
