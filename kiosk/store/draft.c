/* draft.c - being written */
typedef int draft_placeholder_t;
