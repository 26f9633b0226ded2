/* keyboard.c - being written */
typedef int keyboard_placeholder_t;
