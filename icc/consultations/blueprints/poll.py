"""A quick poll on a design question: what a public transport app must do first."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from icc.consultations.blueprints import Blueprint, QuestionBlueprint
from icc.consultations.models import Kind, QuestionType

FEATURES = (
    {
        "en": "Real-time departures",
        "de": "Abfahrten in Echtzeit",
        "fr": "Horaires de passage en temps réel",
        "es": "Salidas en tiempo real",
        "it": "Partenze in tempo reale",
        "pl": "Odjazdy w czasie rzeczywistym",
    },
    {
        "en": "Buying tickets in the app",
        "de": "Tickets in der App kaufen",
        "fr": "Achat de billets dans l'application",
        "es": "Compra de billetes en la aplicación",
        "it": "Acquisto dei biglietti nell'app",
        "pl": "Kupowanie biletów w aplikacji",
    },
    {
        "en": "Journey planner including walking and cycling",
        "de": "Routenplaner mit Fuß- und Radwegen",
        "fr": "Calcul d'itinéraire avec la marche et le vélo",
        "es": "Planificador de rutas a pie y en bicicleta incluidas",
        "it": "Pianificatore di viaggio con percorsi a piedi e in bici",
        "pl": "Planer podróży z trasami pieszymi i rowerowymi",
    },
    {
        "en": "Alerts about delays and roadworks",
        "de": "Hinweise zu Verspätungen und Baustellen",
        "fr": "Alertes en cas de retards et de travaux",
        "es": "Avisos de retrasos y obras",
        "it": "Avvisi su ritardi e lavori",
        "pl": "Powiadomienia o opóźnieniach i remontach",
    },
    {
        "en": "Step-free routes and accessibility information",
        "de": "Stufenlose Wege und Informationen zur Barrierefreiheit",
        "fr": "Itinéraires sans marches et informations d'accessibilité",
        "es": "Rutas sin escalones e información de accesibilidad",
        "it": "Percorsi senza gradini e informazioni sull'accessibilità",
        "pl": "Trasy bez schodów i informacje o dostępności",
    },
    {
        "en": "Bike and scooter sharing in the same app",
        "de": "Leihräder und E-Roller in derselben App",
        "fr": "Vélos et trottinettes en libre-service dans la même application",
        "es": "Bicicletas y patinetes compartidos en la misma aplicación",
        "it": "Bici e monopattini in condivisione nella stessa app",
        "pl": "Rowery i hulajnogi na minuty w tej samej aplikacji",
    },
)

TRANSPORT_APP = Blueprint(
    key="transport-app",
    kind=Kind.POLL,
    name=_("Quick poll: the 2 most important features of a public transport app"),
    title={
        "en": "A public transport app: what matters most?",
        "de": "Eine App für den Nahverkehr: Was ist am wichtigsten?",
        "fr": "Une application de transports publics : qu'est-ce qui compte le plus ?",
        "es": "Una aplicación de transporte público: ¿qué es lo más importante?",
        "it": "Un'app per il trasporto pubblico: che cosa conta di più?",
        "pl": "Aplikacja komunikacji miejskiej: co jest najważniejsze?",
    },
    introduction={
        "en": "The city is planning a new app for buses, trams and trains. One question, one minute.",
        "de": "Die Stadt plant eine neue App für Busse und Bahnen. Eine Frage, eine Minute.",
        "fr": "La ville prépare une nouvelle application pour les bus, les trams et les trains. Une question, une "
        "minute.",
        "es": "La ciudad prepara una nueva aplicación para autobuses, tranvías y trenes. Una pregunta, un minuto.",
        "it": "La città sta preparando una nuova app per autobus, tram e treni. Una domanda, un minuto.",
        "pl": "Miasto planuje nową aplikację dla autobusów, tramwajów i pociągów. Jedno pytanie, jedna minuta.",
    },
    questions=(
        QuestionBlueprint(
            type=QuestionType.MULTIPLE,
            text={
                "en": "What are the 2 most important features of a public transport app?",
                "de": "Was sind die 2 wichtigsten Funktionen einer Nahverkehrs-App?",
                "fr": "Quelles sont les 2 fonctions les plus importantes d'une application de transports publics ?",
                "es": "¿Cuáles son las 2 funciones más importantes de una aplicación de transporte público?",
                "it": "Quali sono le 2 funzioni più importanti di un'app del trasporto pubblico?",
                "pl": "Jakie są 2 najważniejsze funkcje aplikacji komunikacji miejskiej?",
            },
            choices=FEATURES,
            picks=2,
            required=True,
            allow_other=True,
        ),
    ),
)
