/**
 * The query service's plumbing: settings, security, problem answers, streamed answers, the API
 * description. No domain rule; depends on no feature package.
 */
package dev.streamledger.query.system;
