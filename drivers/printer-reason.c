/* printer-reason.c - IPP state reasons (RFC 8011, PWG 5100.x keywords) mapped to what a visitor
 * or the community manager needs to hear, in English, German and Dutch. */
#include "likeletter/printer.h"

#include <string.h>

/* Most important first: the message names the one thing to fix. */
typedef struct reason_text {
    uint32_t bit;
    const char *keyword;
    bool person; /* printing stays stopped until someone acts */
    const char *en, *de, *nl;
} reason_text_t;

static const reason_text_t reasons[] = {
    {PRINTER_REASON_UNREACHABLE, "unreachable", false,
     "The printer is not answering. Your card is saved and will print when it is back.",
     "Der Drucker antwortet nicht. Ihre Karte ist gespeichert und wird gedruckt, sobald er "
     "wieder da ist.",
     "De printer reageert niet. Uw kaart is bewaard en wordt afgedrukt zodra hij terug is."},
    {PRINTER_REASON_OFFLINE, "offline", true,
     "The printer is switched off or paused. Your card is saved and will print when it is on.",
     "Der Drucker ist aus oder angehalten. Ihre Karte ist gespeichert und wird gedruckt, "
     "sobald er läuft.",
     "De printer staat uit of is gepauzeerd. Uw kaart is bewaard en wordt afgedrukt zodra hij "
     "aan staat."},
    {PRINTER_REASON_MEDIA_JAM, "media-jam", true,
     "The paper is jammed. Your card is saved and will print once the jam is cleared.",
     "Im Drucker klemmt Papier. Ihre Karte ist gespeichert und wird gedruckt, sobald es "
     "entfernt ist.",
     "Het papier zit vast. Uw kaart is bewaard en wordt afgedrukt zodra het is verwijderd."},
    {PRINTER_REASON_COVER_OPEN, "cover-open", true,
     "The printer's cover is open. Your card will print as soon as it is closed.",
     "Die Abdeckung des Druckers ist offen. Ihre Karte wird gedruckt, sobald sie zu ist.",
     "De klep van de printer staat open. Uw kaart wordt afgedrukt zodra die dicht is."},
    {PRINTER_REASON_MEDIA_EMPTY, "media-empty", true,
     "The printer is out of paper. Your card is saved and will print as soon as paper is "
     "added.",
     "Der Drucker hat kein Papier mehr. Ihre Karte ist gespeichert und wird gedruckt, sobald "
     "Papier nachgelegt ist.",
     "De printer heeft geen papier meer. Uw kaart is bewaard en wordt afgedrukt zodra er "
     "papier is bijgevuld."},
    {PRINTER_REASON_MEDIA_NEEDED, "media-needed", true,
     "The printer needs card paper. Your card is saved and will print once it is loaded.",
     "Der Drucker braucht Kartenpapier. Ihre Karte ist gespeichert und wird gedruckt, sobald "
     "es eingelegt ist.",
     "De printer heeft kaartpapier nodig. Uw kaart is bewaard en wordt afgedrukt zodra het is "
     "geplaatst."},
    {PRINTER_REASON_INK_EMPTY, "marker-supply-empty", true,
     "The printer is out of ink. Your card is saved and will print once ink is replaced.",
     "Dem Drucker ist die Tinte ausgegangen. Ihre Karte ist gespeichert und wird gedruckt, "
     "sobald sie ersetzt ist.",
     "De inkt van de printer is op. Uw kaart is bewaard en wordt afgedrukt zodra de inkt is "
     "vervangen."},
    {PRINTER_REASON_JOB_ABORTED, "job-aborted", false,
     "The printer stopped this card. It will be printed again.",
     "Der Drucker hat diese Karte abgebrochen. Sie wird noch einmal gedruckt.",
     "De printer heeft deze kaart afgebroken. Hij wordt opnieuw afgedrukt."},
    {PRINTER_REASON_JOB_CANCELED, "job-canceled", false, "This card was canceled at the printer.",
     "Diese Karte wurde am Drucker abgebrochen.", "Deze kaart is bij de printer geannuleerd."},
    {PRINTER_REASON_OTHER_ERROR, "other-error", false,
     "The printer reports a problem. Your card is saved.",
     "Der Drucker meldet ein Problem. Ihre Karte ist gespeichert.",
     "De printer meldt een probleem. Uw kaart is bewaard."},
    {PRINTER_REASON_INK_LOW, "marker-supply-low", false, "The printer's ink is running low.",
     "Die Tinte des Druckers wird knapp.", "De inkt van de printer raakt op."},
};

/* IPP keywords, without their -error/-warning/-report suffix. */
static const struct {
    const char *keyword;
    uint32_t bit;
} keywords[] = {
    {"media-empty", PRINTER_REASON_MEDIA_EMPTY},
    {"input-tray-missing", PRINTER_REASON_MEDIA_NEEDED},
    {"media-needed", PRINTER_REASON_MEDIA_NEEDED},
    {"media-jam", PRINTER_REASON_MEDIA_JAM},
    {"cover-open", PRINTER_REASON_COVER_OPEN},
    {"door-open", PRINTER_REASON_COVER_OPEN},
    {"interlock-open", PRINTER_REASON_COVER_OPEN},
    {"marker-supply-empty", PRINTER_REASON_INK_EMPTY},
    {"toner-empty", PRINTER_REASON_INK_EMPTY},
    {"marker-supply-low", PRINTER_REASON_INK_LOW},
    {"toner-low", PRINTER_REASON_INK_LOW},
    {"offline", PRINTER_REASON_OFFLINE},
    {"paused", PRINTER_REASON_OFFLINE},
    {"shutdown", PRINTER_REASON_OFFLINE},
    {"moving-to-paused", PRINTER_REASON_OFFLINE},
    {"connecting-to-device", PRINTER_REASON_UNREACHABLE},
    {"service-unavailable", PRINTER_REASON_UNREACHABLE},
    {"aborted-by-system", PRINTER_REASON_JOB_ABORTED},
    {"job-aborted-by-system", PRINTER_REASON_JOB_ABORTED},
    {"document-format", PRINTER_REASON_JOB_ABORTED},
    {"document-unprintable", PRINTER_REASON_JOB_ABORTED},
    {"job-canceled-at-device", PRINTER_REASON_JOB_CANCELED},
    {"job-canceled-by-operator", PRINTER_REASON_JOB_CANCELED},
    {"job-canceled-by-user", PRINTER_REASON_JOB_CANCELED},
};

uint32_t printer_reason_from_keyword(const char *keyword)
{
    if (!keyword) {
        return 0;
    }
    size_t n = strlen(keyword);
    static const char *const suffixes[] = {"-error", "-warning", "-report"};
    const char *suffix = "";
    for (size_t i = 0; i < 3; i++) {
        size_t s = strlen(suffixes[i]);
        if (n > s && strcmp(keyword + n - s, suffixes[i]) == 0) {
            n -= s;
            suffix = suffixes[i];
            break;
        }
    }
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++) {
        if (strlen(keywords[i].keyword) == n && strncmp(keywords[i].keyword, keyword, n) == 0) {
            return keywords[i].bit;
        }
    }
    /* An unknown -error stops printing; unknown warnings and reports are only for the log. */
    return strcmp(suffix, "-error") == 0 ? PRINTER_REASON_OTHER_ERROR : 0;
}

static const reason_text_t *top(uint32_t bits)
{
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
        if (bits & reasons[i].bit) {
            return &reasons[i];
        }
    }
    return NULL;
}

const char *printer_reason_message(uint32_t bits, const char *lang)
{
    const reason_text_t *r = top(bits);
    if (!r) {
        return NULL;
    }
    if (lang && strcmp(lang, "de") == 0) {
        return r->de;
    }
    return lang && strcmp(lang, "nl") == 0 ? r->nl : r->en;
}

const char *printer_reason_keyword(uint32_t bits)
{
    const reason_text_t *r = top(bits);
    return r ? r->keyword : "";
}

bool printer_reason_needs_person(uint32_t bits)
{
    const reason_text_t *r = top(bits);
    return r && r->person;
}
