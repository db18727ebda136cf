"""The main survey at the end: the progress people have seen, and the city's strategic
priorities for the years to come."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from icc.consultations.blueprints import Blueprint, QuestionBlueprint
from icc.consultations.blueprints.common import (
    NO,
    NO_NAMES,
    NOT_SURE,
    PRIORITIES,
    SERVICES_HIGH,
    SERVICES_LOW,
    YES,
)
from icc.consultations.models import Kind, QuestionType

CLOSING = Blueprint(
    key="end",
    kind=Kind.SURVEY,
    name=_("Main survey at the end: progress made and strategic priorities"),
    title={
        "en": "Looking back: progress and next priorities",
        "de": "Rückblick: Fortschritte und nächste Prioritäten",
        "fr": "Bilan : progrès accomplis et prochaines priorités",
        "es": "Balance: avances y próximas prioridades",
        "it": "Bilancio: progressi e prossime priorità",
        "pl": "Podsumowanie: postępy i kolejne priorytety",
    },
    introduction={
        "en": "In recent years the city has worked on its plan to become an intelligent city. Tell us whether you "
        "have noticed progress and what should come next. It takes about five minutes, and we do not ask for your "
        "name.",
        "de": "In den vergangenen Jahren hat die Stadt an ihrem Plan gearbeitet, eine intelligente Stadt zu werden. "
        "Sagen Sie uns, ob Sie Fortschritte bemerkt haben und was als Nächstes kommen sollte. Es dauert etwa fünf "
        "Minuten, und wir fragen nicht nach Ihrem Namen.",
        "fr": "Ces dernières années, la ville a travaillé à son plan pour devenir une ville intelligente. Dites-nous "
        "si vous avez constaté des progrès et ce qui devrait suivre. Cela prend environ cinq minutes, et nous ne "
        "vous demandons pas votre nom.",
        "es": "En los últimos años la ciudad ha trabajado en su plan para convertirse en una ciudad inteligente. "
        "Díganos si ha notado avances y qué debería venir después. Le llevará unos cinco minutos y no le pedimos su "
        "nombre.",
        "it": "Negli ultimi anni la città ha lavorato al suo piano per diventare una città intelligente. Diteci se "
        "avete notato progressi e cosa dovrebbe venire dopo. Ci vogliono circa cinque minuti e non vi chiediamo il "
        "nome.",
        "pl": "W ostatnich latach miasto realizowało swój plan, aby stać się inteligentnym miastem. Powiedz nam, "
        "czy zauważasz postępy i co powinno być następne. Zajmie to około pięciu minut i nie pytamy o Twoje imię "
        "i nazwisko.",
    },
    questions=(
        QuestionBlueprint(
            type=QuestionType.RATING,
            text={
                "en": "How much progress has the city made on the challenges that matter most to you?",
                "de": "Wie viel Fortschritt hat die Stadt bei den Herausforderungen gemacht, die Ihnen am "
                "wichtigsten sind?",
                "fr": "Quels progrès la ville a-t-elle faits sur les défis qui comptent le plus pour vous ?",
                "es": "¿Cuánto ha avanzado la ciudad en los retos que más le importan?",
                "it": "Quanti progressi ha fatto la città sulle sfide che contano di più per voi?",
                "pl": "Jak duże postępy zrobiło miasto w wyzwaniach, które są dla Ciebie najważniejsze?",
            },
            scale=5,
            low_label={
                "en": "None at all",
                "de": "Gar keinen",
                "fr": "Aucun",
                "es": "Ninguno",
                "it": "Nessuno",
                "pl": "Żadnych",
            },
            high_label={
                "en": "A great deal",
                "de": "Sehr viel",
                "fr": "Beaucoup",
                "es": "Muchísimo",
                "it": "Moltissimi",
                "pl": "Bardzo duże",
            },
            required=True,
        ),
        QuestionBlueprint(
            type=QuestionType.SINGLE,
            text={
                "en": "Have you noticed a change in your neighbourhood thanks to the city's projects?",
                "de": "Haben Sie dank der Projekte der Stadt eine Veränderung in Ihrem Viertel bemerkt?",
                "fr": "Avez-vous remarqué un changement dans votre quartier grâce aux projets de la ville ?",
                "es": "¿Ha notado algún cambio en su barrio gracias a los proyectos de la ciudad?",
                "it": "Avete notato un cambiamento nel vostro quartiere grazie ai progetti della città?",
                "pl": "Czy zauważasz zmiany w swojej okolicy dzięki projektom miasta?",
            },
            choices=(YES, NO, NOT_SURE),
            required=True,
        ),
        QuestionBlueprint(
            type=QuestionType.SHORT_TEXT,
            text={
                "en": "What has changed?",
                "de": "Was hat sich verändert?",
                "fr": "Qu'est-ce qui a changé ?",
                "es": "¿Qué ha cambiado?",
                "it": "Che cosa è cambiato?",
                "pl": "Co się zmieniło?",
            },
            help=NO_NAMES,
            condition=(1, 0),
        ),
        QuestionBlueprint(
            type=QuestionType.RATING,
            text={
                "en": "How satisfied are you with the city's online services today?",
                "de": "Wie zufrieden sind Sie heute mit den Online-Diensten der Stadt?",
                "fr": "Comment jugez-vous aujourd'hui les services en ligne de la ville ?",
                "es": "¿Cómo valora hoy los servicios en línea de la ciudad?",
                "it": "Come giudicate oggi i servizi online della città?",
                "pl": "Jak dziś oceniasz usługi online miasta?",
            },
            scale=5,
            low_label=SERVICES_LOW,
            high_label=SERVICES_HIGH,
        ),
        QuestionBlueprint(
            type=QuestionType.RANKING,
            text={
                "en": "What should be the city's 3 strategic priorities for the coming years?",
                "de": "Was sollten die 3 strategischen Prioritäten der Stadt für die kommenden Jahre sein?",
                "fr": "Quelles devraient être les 3 priorités stratégiques de la ville pour les années à venir ?",
                "es": "¿Cuáles deberían ser las 3 prioridades estratégicas de la ciudad para los próximos años?",
                "it": "Quali dovrebbero essere le 3 priorità strategiche della città per i prossimi anni?",
                "pl": "Jakie powinny być 3 strategiczne priorytety miasta na najbliższe lata?",
            },
            choices=PRIORITIES,
            picks=3,
            required=True,
        ),
        QuestionBlueprint(
            type=QuestionType.LONG_TEXT,
            text={
                "en": "What would you like the city to do differently?",
                "de": "Was sollte die Stadt Ihrer Meinung nach anders machen?",
                "fr": "Que souhaiteriez-vous que la ville fasse autrement ?",
                "es": "¿Qué le gustaría que la ciudad hiciera de otra manera?",
                "it": "Che cosa vorreste che la città facesse diversamente?",
                "pl": "Co według Ciebie miasto powinno robić inaczej?",
            },
            help=NO_NAMES,
        ),
    ),
)
