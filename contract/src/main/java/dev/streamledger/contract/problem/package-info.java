/**
 * Every RFC 9457 problem type a request can get before a command decides anything, with its status
 * ({@code ProblemType}).
 */
package dev.streamledger.contract.problem;
