/**
 * The projector's plumbing: sealing what it writes ({@code Seals}, {@code Authenticity}),
 * sinks, security, settings. No domain rule; depends on no feature package.
 */
package dev.streamledger.projector.system;
