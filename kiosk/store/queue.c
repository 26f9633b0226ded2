/* queue.c - being written */
typedef int queue_placeholder_t;
