"""Texts the ready-made consultations share, in each language of the public pages."""

from __future__ import annotations

from icc.consultations.blueprints import Texts

YES: Texts = {"en": "Yes", "de": "Ja", "fr": "Oui", "es": "Sí", "it": "Sì", "pl": "Tak"}
NO: Texts = {"en": "No", "de": "Nein", "fr": "Non", "es": "No", "it": "No", "pl": "Nie"}
NOT_SURE: Texts = {
    "en": "Not sure",
    "de": "Weiß nicht",
    "fr": "Je ne sais pas",
    "es": "No lo sé",
    "it": "Non so",
    "pl": "Nie wiem",
}

NO_NAMES: Texts = {
    "en": "Please do not write names or contact details: answers may be published after review.",
    "de": "Bitte schreiben Sie keine Namen oder Kontaktdaten: Antworten können nach Prüfung veröffentlicht werden.",
    "fr": "N'écrivez ni noms ni coordonnées : les réponses peuvent être publiées après relecture.",
    "es": "No escriba nombres ni datos de contacto: las respuestas pueden publicarse tras su revisión.",
    "it": "Non scrivete nomi né recapiti: le risposte possono essere pubblicate dopo una verifica.",
    "pl": "Nie podawaj nazwisk ani danych kontaktowych: odpowiedzi mogą zostać opublikowane po sprawdzeniu.",
}

# A rating of services, 1 to 5.
SERVICES_LOW: Texts = {
    "en": "Not at all satisfied",
    "de": "Überhaupt nicht zufrieden",
    "fr": "Pas du tout satisfaisants",
    "es": "Nada satisfactorios",
    "it": "Per niente soddisfacenti",
    "pl": "Bardzo źle",
}
SERVICES_HIGH: Texts = {
    "en": "Very satisfied",
    "de": "Sehr zufrieden",
    "fr": "Très satisfaisants",
    "es": "Muy satisfactorios",
    "it": "Molto soddisfacenti",
    "pl": "Bardzo dobrze",
}

# Where the city could act: the priorities both main surveys ask about.
PRIORITIES: tuple[Texts, ...] = (
    {
        "en": "Cleaner, greener ways to get around",
        "de": "Sauberere, umweltfreundliche Mobilität",
        "fr": "Des déplacements plus propres et plus verts",
        "es": "Formas de moverse más limpias y ecológicas",
        "it": "Spostamenti più puliti e sostenibili",
        "pl": "Czystszy, bardziej ekologiczny transport",
    },
    {
        "en": "Saving energy in public buildings",
        "de": "Energie sparen in öffentlichen Gebäuden",
        "fr": "Économiser l'énergie dans les bâtiments publics",
        "es": "Ahorrar energía en los edificios públicos",
        "it": "Risparmiare energia negli edifici pubblici",
        "pl": "Oszczędzanie energii w budynkach publicznych",
    },
    {
        "en": "Simpler online services",
        "de": "Einfachere Online-Dienste",
        "fr": "Des services en ligne plus simples",
        "es": "Servicios en línea más sencillos",
        "it": "Servizi online più semplici",
        "pl": "Prostsze usługi online",
    },
    {
        "en": "Support for local businesses and skills",
        "de": "Unterstützung für lokale Unternehmen und Qualifikationen",
        "fr": "Soutien aux entreprises locales et aux compétences",
        "es": "Apoyo a las empresas locales y a la formación",
        "it": "Sostegno alle imprese locali e alle competenze",
        "pl": "Wsparcie lokalnych firm i rozwoju umiejętności",
    },
    {
        "en": "Green spaces and protection from heat and floods",
        "de": "Grünflächen und Schutz vor Hitze und Hochwasser",
        "fr": "Espaces verts et protection contre la chaleur et les inondations",
        "es": "Zonas verdes y protección frente al calor y las inundaciones",
        "it": "Spazi verdi e protezione da caldo e alluvioni",
        "pl": "Tereny zielone i ochrona przed upałami i powodziami",
    },
    {
        "en": "More say for residents in city decisions",
        "de": "Mehr Mitsprache der Einwohner bei Entscheidungen der Stadt",
        "fr": "Davantage de place pour les habitants dans les décisions de la ville",
        "es": "Más participación de los vecinos en las decisiones de la ciudad",
        "it": "Più voce ai cittadini nelle decisioni della città",
        "pl": "Większy wpływ mieszkańców na decyzje miasta",
    },
)
