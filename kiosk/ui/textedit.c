/* textedit.c - being written */
typedef int textedit_placeholder_t;
