"""The main survey at the start: the challenges that matter, how people use and rate the
city's digital services, and where the city should act first."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from icc.consultations.blueprints import Blueprint, QuestionBlueprint
from icc.consultations.blueprints.common import NO, NO_NAMES, PRIORITIES, SERVICES_HIGH, SERVICES_LOW, YES
from icc.consultations.models import Kind, QuestionType

CHALLENGES = (
    {
        "en": "Affordable housing",
        "de": "Bezahlbarer Wohnraum",
        "fr": "Logement abordable",
        "es": "Vivienda asequible",
        "it": "Case a prezzi accessibili",
        "pl": "Dostępne cenowo mieszkania",
    },
    {
        "en": "Public transport and traffic",
        "de": "Öffentlicher Verkehr und Straßenverkehr",
        "fr": "Transports publics et circulation",
        "es": "Transporte público y tráfico",
        "it": "Trasporto pubblico e traffico",
        "pl": "Komunikacja miejska i ruch drogowy",
    },
    {
        "en": "Air quality and climate change",
        "de": "Luftqualität und Klimawandel",
        "fr": "Qualité de l'air et changement climatique",
        "es": "Calidad del aire y cambio climático",
        "it": "Qualità dell'aria e cambiamento climatico",
        "pl": "Jakość powietrza i zmiany klimatu",
    },
    {
        "en": "Energy prices and supply",
        "de": "Energiepreise und Energieversorgung",
        "fr": "Prix et approvisionnement de l'énergie",
        "es": "Precio y suministro de la energía",
        "it": "Prezzi e approvvigionamento dell'energia",
        "pl": "Ceny i dostawy energii",
    },
    {
        "en": "Jobs and the local economy",
        "de": "Arbeitsplätze und lokale Wirtschaft",
        "fr": "Emploi et économie locale",
        "es": "Empleo y economía local",
        "it": "Lavoro ed economia locale",
        "pl": "Praca i lokalna gospodarka",
    },
    {
        "en": "Simple online public services",
        "de": "Einfache Online-Dienste der Verwaltung",
        "fr": "Des services publics en ligne simples",
        "es": "Servicios públicos en línea sencillos",
        "it": "Servizi pubblici online semplici",
        "pl": "Proste usługi publiczne online",
    },
    {
        "en": "Safety in public spaces",
        "de": "Sicherheit im öffentlichen Raum",
        "fr": "Sécurité dans l'espace public",
        "es": "Seguridad en los espacios públicos",
        "it": "Sicurezza negli spazi pubblici",
        "pl": "Bezpieczeństwo w przestrzeni publicznej",
    },
    {
        "en": "Health and social care",
        "de": "Gesundheit und Pflege",
        "fr": "Santé et aide sociale",
        "es": "Salud y atención social",
        "it": "Salute e assistenza sociale",
        "pl": "Zdrowie i opieka społeczna",
    },
)

SERVICES = (
    {
        "en": "Booking an appointment at the town hall",
        "de": "Einen Termin im Rathaus buchen",
        "fr": "Prendre rendez-vous à la mairie",
        "es": "Pedir cita en el ayuntamiento",
        "it": "Prenotare un appuntamento in municipio",
        "pl": "Umówienie wizyty w urzędzie",
    },
    {
        "en": "A public transport app or e-ticket",
        "de": "Eine Nahverkehrs-App oder ein E-Ticket",
        "fr": "Une application de transports publics ou un billet électronique",
        "es": "Una aplicación de transporte público o un billete electrónico",
        "it": "Un'app del trasporto pubblico o un biglietto elettronico",
        "pl": "Aplikacja komunikacji miejskiej lub bilet elektroniczny",
    },
    {
        "en": "Bike or car sharing",
        "de": "Bike- oder Carsharing",
        "fr": "Vélos ou voitures en libre-service",
        "es": "Bicicletas o coches compartidos",
        "it": "Bike sharing o car sharing",
        "pl": "Rowery lub samochody na minuty",
    },
    {
        "en": "Reporting a problem online (litter, potholes, street lights)",
        "de": "Ein Problem online melden (Müll, Schlaglöcher, Straßenbeleuchtung)",
        "fr": "Signaler un problème en ligne (déchets, nids-de-poule, éclairage public)",
        "es": "Avisar de un problema en línea (basura, baches, alumbrado)",
        "it": "Segnalare un problema online (rifiuti, buche, illuminazione)",
        "pl": "Zgłoszenie problemu online (śmieci, dziury w jezdni, oświetlenie)",
    },
    {
        "en": "The city's open data portal",
        "de": "Das Open-Data-Portal der Stadt",
        "fr": "Le portail de données ouvertes de la ville",
        "es": "El portal de datos abiertos de la ciudad",
        "it": "Il portale open data della città",
        "pl": "Portal otwartych danych miasta",
    },
)

STARTING = Blueprint(
    key="start",
    kind=Kind.SURVEY,
    name=_("Main survey at the start: challenges, digital services, priorities"),
    title={
        "en": "Our city today: your priorities",
        "de": "Unsere Stadt heute: Ihre Prioritäten",
        "fr": "Notre ville aujourd'hui : vos priorités",
        "es": "Nuestra ciudad hoy: sus prioridades",
        "it": "La nostra città oggi: le vostre priorità",
        "pl": "Nasze miasto dziś: Twoje priorytety",
    },
    introduction={
        "en": "The city is preparing its plan to become an intelligent city. Tell us which challenges matter most "
        "to you and how you find the digital services you already use. It takes about five minutes, and we do not "
        "ask for your name.",
        "de": "Die Stadt bereitet ihren Plan vor, eine intelligente Stadt zu werden. Sagen Sie uns, welche "
        "Herausforderungen Ihnen am wichtigsten sind und wie Sie die digitalen Dienste finden, die Sie schon nutzen. "
        "Es dauert etwa fünf Minuten, und wir fragen nicht nach Ihrem Namen.",
        "fr": "La ville prépare son plan pour devenir une ville intelligente. Dites-nous quels défis comptent le plus "
        "pour vous et ce que vous pensez des services numériques que vous utilisez déjà. Cela prend environ cinq "
        "minutes, et nous ne vous demandons pas votre nom.",
        "es": "La ciudad está preparando su plan para convertirse en una ciudad inteligente. Díganos qué retos le "
        "importan más y qué opina de los servicios digitales que ya utiliza. Le llevará unos cinco minutos y no le "
        "pedimos su nombre.",
        "it": "La città sta preparando il suo piano per diventare una città intelligente. Diteci quali sfide contano "
        "di più per voi e cosa pensate dei servizi digitali che già usate. Ci vogliono circa cinque minuti e non vi "
        "chiediamo il nome.",
        "pl": "Miasto przygotowuje plan, aby stać się inteligentnym miastem. Powiedz nam, które wyzwania są dla "
        "Ciebie najważniejsze i jak oceniasz usługi cyfrowe, z których już korzystasz. Zajmie to około pięciu minut "
        "i nie pytamy o Twoje imię i nazwisko.",
    },
    questions=(
        QuestionBlueprint(
            type=QuestionType.RANKING,
            text={
                "en": "What are currently the 3 most relevant challenges for the city?",
                "de": "Was sind derzeit die 3 wichtigsten Herausforderungen für die Stadt?",
                "fr": "Quels sont actuellement les 3 défis les plus importants pour la ville ?",
                "es": "¿Cuáles son actualmente los 3 retos más importantes para la ciudad?",
                "it": "Quali sono oggi le 3 sfide più importanti per la città?",
                "pl": "Jakie są obecnie 3 najważniejsze wyzwania dla miasta?",
            },
            choices=CHALLENGES,
            picks=3,
            required=True,
        ),
        QuestionBlueprint(
            type=QuestionType.SINGLE,
            text={
                "en": "Have you used any of the city's online services in the past 12 months?",
                "de": "Haben Sie in den letzten 12 Monaten Online-Dienste der Stadt genutzt?",
                "fr": "Avez-vous utilisé un service en ligne de la ville au cours des 12 derniers mois ?",
                "es": "¿Ha utilizado algún servicio en línea de la ciudad en los últimos 12 meses?",
                "it": "Avete usato qualche servizio online della città negli ultimi 12 mesi?",
                "pl": "Czy w ciągu ostatnich 12 miesięcy zdarzyło Ci się korzystać z usług online miasta?",
            },
            choices=(YES, NO),
            required=True,
        ),
        QuestionBlueprint(
            type=QuestionType.MULTIPLE,
            text={
                "en": "Which of these have you used?",
                "de": "Welche davon haben Sie genutzt?",
                "fr": "Lesquels avez-vous utilisés ?",
                "es": "¿Cuáles ha utilizado?",
                "it": "Quali avete usato?",
                "pl": "Z których z tych usług zdarzyło Ci się korzystać?",
            },
            choices=SERVICES,
            allow_other=True,
            condition=(1, 0),
        ),
        QuestionBlueprint(
            type=QuestionType.RATING,
            text={
                "en": "How satisfied are you with these services overall?",
                "de": "Wie zufrieden sind Sie insgesamt mit diesen Diensten?",
                "fr": "Dans l'ensemble, comment jugez-vous ces services ?",
                "es": "En general, ¿cómo valora estos servicios?",
                "it": "Nel complesso, come giudicate questi servizi?",
                "pl": "Jak ogólnie oceniasz te usługi?",
            },
            scale=5,
            low_label=SERVICES_LOW,
            high_label=SERVICES_HIGH,
            condition=(1, 0),
        ),
        QuestionBlueprint(
            type=QuestionType.RATING,
            text={
                "en": "How much would you like the city to use new technology to tackle these challenges?",
                "de": "Wie sehr wünschen Sie sich, dass die Stadt neue Technologien nutzt, um diese "
                "Herausforderungen anzugehen?",
                "fr": "Dans quelle mesure souhaitez-vous que la ville utilise les nouvelles technologies pour relever "
                "ces défis ?",
                "es": "¿En qué medida desea que la ciudad utilice nuevas tecnologías para afrontar estos retos?",
                "it": "Quanto vorreste che la città usasse le nuove tecnologie per affrontare queste sfide?",
                "pl": "W jakim stopniu chcesz, aby miasto wykorzystywało nowe technologie do radzenia sobie z tymi "
                "wyzwaniami?",
            },
            scale=5,
            low_label={
                "en": "Not at all",
                "de": "Überhaupt nicht",
                "fr": "Pas du tout",
                "es": "Nada",
                "it": "Per niente",
                "pl": "Wcale",
            },
            high_label={
                "en": "Very much",
                "de": "Sehr",
                "fr": "Tout à fait",
                "es": "Mucho",
                "it": "Moltissimo",
                "pl": "Bardzo",
            },
        ),
        QuestionBlueprint(
            type=QuestionType.MULTIPLE,
            text={
                "en": "Where should the city act first?",
                "de": "Wo sollte die Stadt zuerst handeln?",
                "fr": "Où la ville doit-elle agir en priorité ?",
                "es": "¿Dónde debería actuar primero la ciudad?",
                "it": "Dove dovrebbe intervenire prima la città?",
                "pl": "Gdzie miasto powinno działać w pierwszej kolejności?",
            },
            choices=PRIORITIES,
            picks=2,
            required=True,
        ),
        QuestionBlueprint(
            type=QuestionType.LONG_TEXT,
            text={
                "en": "Is there anything else you would like the city to know?",
                "de": "Möchten Sie der Stadt sonst noch etwas mitteilen?",
                "fr": "Souhaitez-vous dire autre chose à la ville ?",
                "es": "¿Hay algo más que quiera decirle a la ciudad?",
                "it": "C'è qualcos'altro che vorreste far sapere alla città?",
                "pl": "Czy chcesz przekazać miastu coś jeszcze?",
            },
            help=NO_NAMES,
        ),
    ),
)
