/* config.c - being written */
typedef int config_placeholder_t;
