package io.floe.rest.http;

import java.util.Map;

/** What a request produced: its status, body and headers. */
record Outcome(int status, byte[] payload, String contentType, Map<String, String> headers) {}
