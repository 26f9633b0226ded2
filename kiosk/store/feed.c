/* feed.c - being written */
typedef int feed_placeholder_t;
