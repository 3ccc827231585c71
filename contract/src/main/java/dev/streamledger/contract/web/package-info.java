/**
 * What both HTTP services share: problem+json for every error, including what the server refuses
 * itself; body limits, security, tracing, API documentation.
 */
package dev.streamledger.contract.web;
