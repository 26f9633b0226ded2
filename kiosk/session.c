/* session.c - being written */
typedef int session_placeholder_t;
