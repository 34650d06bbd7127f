"""Synthetic name and place lists. Common given names and surnames spread across the
communities of inner London; combinations are random, so no real person is described."""

FIRST_F = [
    "Amelia", "Olivia", "Isla", "Ava", "Mia", "Sophia", "Grace", "Lily", "Freya", "Emily", "Ella",
    "Aisha", "Fatima", "Maryam", "Zara", "Amira", "Layla", "Hafsa", "Sara", "Nadia", "Yasmin",
    "Chloe", "Jessica", "Ruby", "Poppy", "Evie", "Daisy", "Phoebe", "Matilda", "Florence", "Alice",
    "Precious", "Blessing", "Chioma", "Adaeze", "Folake", "Abena", "Ama", "Nia", "Imani", "Zainab",
    "Priya", "Ananya", "Diya", "Sana", "Mei", "Lin", "Hana", "Sofia", "Elena", "Maria", "Ana",
    "Zofia", "Julia", "Natalia", "Ioana", "Bianca", "Leah", "Hannah", "Rebecca", "Abigail", "Eleanor",
    "Kiera", "Shannon", "Tia", "Jade", "Keisha", "Tanisha", "Aaliyah", "Ruth", "Esther", "Helen",
]
FIRST_M = [
    "Oliver", "George", "Noah", "Arthur", "Leo", "Harry", "Oscar", "Jack", "Charlie", "Freddie",
    "Mohammed", "Ali", "Omar", "Yusuf", "Ibrahim", "Adam", "Hamza", "Ayaan", "Zayn", "Idris",
    "Thomas", "James", "William", "Henry", "Alfie", "Theo", "Jacob", "Joshua", "Daniel", "Samuel",
    "Kwame", "Kofi", "Chinedu", "Emeka", "Tunde", "Ade", "Jerome", "Tyrone", "Marcus", "Andre",
    "Arjun", "Rohan", "Dev", "Ravi", "Wei", "Jun", "Kenji", "Mateo", "Luca", "Marco", "Andrei",
    "Jakub", "Piotr", "Mihai", "Dawit", "Tesfay", "Abdi", "Liban", "Reza", "Dara", "Kian", "Ethan",
    "Lewis", "Connor", "Callum", "Kai", "Jayden", "Tyler", "Reece", "Nathan", "Michael", "David",
]
SURNAMES = [
    "Smith", "Jones", "Williams", "Brown", "Taylor", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
    "Roberts", "Walker", "Wright", "Robinson", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall",
    "Wood", "Harris", "Lewis", "Martin", "Jackson", "Clarke", "Clark", "Turner", "Hill", "Scott",
    "Cooper", "Morris", "Ward", "Moore", "King", "Watson", "Baker", "Harrison", "Morgan", "Patel",
    "Khan", "Ahmed", "Hussain", "Ali", "Begum", "Rahman", "Islam", "Uddin", "Miah", "Shah",
    "Okafor", "Mensah", "Adeyemi", "Okonkwo", "Boateng", "Asante", "Owusu", "Adebayo", "Nwosu", "Eze",
    "Campbell", "Francis", "Grant", "Reid", "Brown-Lewis", "Smith-Jones", "Campbell-Reid",
    "O'Brien", "O'Connor", "O'Neill", "McCarthy", "Murphy", "Kelly", "Byrne", "D'Souza", "Fernandes",
    "Silva", "Santos", "Costa", "Rodrigues", "Kowalski", "Nowak", "Wisniewski", "Popescu", "Ionescu",
    "Chen", "Wang", "Li", "Zhang", "Nguyen", "Tran", "Ahmadi", "Hosseini", "Mohamud", "Abdullahi",
    "Tesfaye", "Haile", "Gebremedhin", "Yilmaz", "Demir", "Kaya", "Rossi", "Russo", "Garcia", "Lopez",
]
STREETS = [
    "Harrow Road", "Elgin Avenue", "Church Street", "Lisson Grove", "Edgware Road", "Warwick Avenue",
    "Queensway", "Westbourne Grove", "Shirland Road", "Fernhead Road", "Kilburn Lane", "Ashmore Road",
    "Fulham Palace Road", "North End Road", "Uxbridge Road", "Askew Road", "Goldhawk Road",
    "Lillie Road", "Munster Road", "Wandsworth Bridge Road", "Bloemfontein Road", "Du Cane Road",
    "Ladbroke Grove", "Portobello Road", "Golborne Road", "Kensal Road", "Elgin Crescent",
    "Earls Court Road", "Warwick Road", "Cromwell Road", "Kings Road", "Holland Park Avenue",
    "Latimer Road", "Bramley Road", "Silchester Road", "Lancaster Road", "Walmer Road",
]
# Postcode districts by authority (only the district is real geography; the units are random).
DISTRICTS = {
    "213": ["W2", "W9", "W10", "NW8", "NW6", "SW1V", "W1H"],
    "205": ["W6", "W12", "W14", "SW6"],
    "207": ["W8", "W10", "W11", "SW3", "SW5", "SW7", "SW10"],
}
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
