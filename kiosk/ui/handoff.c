/* handoff.c - being written */
typedef int handoff_placeholder_t;
