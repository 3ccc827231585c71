/**
 * Bearer tokens: verifying them, and who they name.
 */
package dev.streamledger.contract.security;
