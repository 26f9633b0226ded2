/* ledger.c - being written */
typedef int ledger_placeholder_t;
