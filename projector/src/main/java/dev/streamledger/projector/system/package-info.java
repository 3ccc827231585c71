/**
 * The projector's plumbing: sealing the stages it writes ({@code Seal}, {@code Authenticity}),
 * sinks, security, settings. No domain rule; depends on no feature package.
 */
package dev.streamledger.projector.system;
