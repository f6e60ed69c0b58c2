#ifndef CRABBITMQ_SHIM_H
#define CRABBITMQ_SHIM_H

#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <amqp_ssl_socket.h>

/* amqp_login is variadic, which Swift cannot call: SASL PLAIN with a user name and password. channel_max 0 lets
 * the broker choose. */
static inline amqp_rpc_reply_t CRabbitMQ_login_plain(amqp_connection_state_t state, const char *vhost, int frame_max,
                                                     int heartbeat, const char *user, const char *password) {
    return amqp_login(state, vhost, 0, frame_max, heartbeat, AMQP_SASL_METHOD_PLAIN, user, password);
}

/* SASL EXTERNAL: the broker takes the identity from the TLS client certificate. */
static inline amqp_rpc_reply_t CRabbitMQ_login_external(amqp_connection_state_t state, const char *vhost,
                                                        int frame_max, int heartbeat, const char *identity) {
    return amqp_login(state, vhost, 0, frame_max, heartbeat, AMQP_SASL_METHOD_EXTERNAL, identity);
}

/* Field-table entries; the value union is filled here rather than from Swift. The bytes are borrowed, not copied. */
static inline amqp_table_entry_t CRabbitMQ_string_entry(amqp_bytes_t key, amqp_bytes_t value) {
    amqp_table_entry_t entry;
    entry.key = key;
    entry.value.kind = AMQP_FIELD_KIND_UTF8;
    entry.value.value.bytes = value;
    return entry;
}

static inline amqp_table_entry_t CRabbitMQ_int_entry(amqp_bytes_t key, int32_t value) {
    amqp_table_entry_t entry;
    entry.key = key;
    entry.value.kind = AMQP_FIELD_KIND_I32;
    entry.value.value.i32 = value;
    return entry;
}

static inline amqp_table_entry_t CRabbitMQ_bool_entry(amqp_bytes_t key, int value) {
    amqp_table_entry_t entry;
    entry.key = key;
    entry.value.kind = AMQP_FIELD_KIND_BOOLEAN;
    entry.value.value.boolean = value ? 1 : 0;
    return entry;
}

/* Macro values, as plain constants. */
static const amqp_method_number_t CRabbitMQ_BASIC_ACK = AMQP_BASIC_ACK_METHOD;
static const amqp_method_number_t CRabbitMQ_BASIC_NACK = AMQP_BASIC_NACK_METHOD;
static const amqp_method_number_t CRabbitMQ_BASIC_RETURN = AMQP_BASIC_RETURN_METHOD;
static const amqp_method_number_t CRabbitMQ_CHANNEL_CLOSE = AMQP_CHANNEL_CLOSE_METHOD;
static const amqp_method_number_t CRabbitMQ_CONNECTION_CLOSE = AMQP_CONNECTION_CLOSE_METHOD;
static const amqp_flags_t CRabbitMQ_BASIC_PROPERTY_FLAGS = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_CONTENT_ENCODING_FLAG
    | AMQP_BASIC_HEADERS_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_MESSAGE_ID_FLAG;
static const int CRabbitMQ_REPLY_SUCCESS = AMQP_REPLY_SUCCESS;
static const uint8_t CRabbitMQ_FRAME_METHOD = AMQP_FRAME_METHOD;

#endif
