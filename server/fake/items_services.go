package fake

// Product tables for merchants that sell services, trips and digital goods.
// "%s" in a name is replaced by the merchant's name.

var uberItems = []item{
	it("UberX", 1200, 4800), it("Uber Comfort", 1800, 5800), it("UberXL", 2400, 7400),
	it("Uber Black", 4500, 12000), it("Uber Green", 1300, 4900), it("Uber Reserve", 3500, 9000),
}

var lyftItems = []item{
	it("Lyft Standard", 1100, 4600), it("Lyft XL", 2200, 7000), it("Lyft Lux Black", 4400, 11500),
	it("Lyft Priority Pickup", 1500, 5200), it("Lyft Extra Comfort", 1700, 5400),
}

var scooterItems = []item{
	it("%s scooter ride", 399, 1299), it("%s e-bike ride", 449, 1499), it("%s Prime monthly pass", 1499, 1499),
}

var flightItems = []item{
	it("Round trip JFK - LAX, Main Cabin", 32000, 65000), it("One way ATL - MCO, Basic Economy", 8900, 18900),
	it("Round trip SFO - ORD, Economy Plus", 34000, 58000), it("Round trip SEA - HNL, First Class", 98000, 164000),
	it("One way BOS - DEN, Comfort+", 19900, 38900), it("Round trip DFW - LAS, Main Cabin", 21900, 42900),
	it("First checked bag", 3500, 4000), it("Preferred seat selection", 2900, 8900),
}

var hotelItems = []item{
	it("Courtyard by Marriott Chicago Downtown - King Room", 15900, 32900),
	it("Hilton Garden Inn Seattle Downtown - 2 Queen Beds", 17900, 34900),
	it("The Westin San Diego Bayview - Deluxe King", 21900, 41900),
	it("Hyatt Regency Austin - King Room, Lake View", 19900, 38900),
	it("Marriott Marquis Times Square - Queen Room", 27900, 54900),
	it("Residence Inn Denver City Center - Studio Suite", 16900, 30900),
}

var homeStayItems = []item{
	it("Entire home in Austin, Texas", 12000, 35000), it("Cozy loft in Denver, Colorado", 9500, 21000),
	it("Beachfront condo in Miami Beach, Florida", 18000, 42000), it("Cabin in Gatlinburg, Tennessee", 14000, 32000),
	it("Private room in Brooklyn, New York", 7500, 16000), it("Entire bungalow in Joshua Tree, California", 16000, 38000),
	it("Lakefront cottage in Lake Tahoe, California", 22000, 52000),
}

var gameItems = []item{
	it("Elden Ring", 3999, 5999), it("Baldur's Gate 3", 5999, 6999), it("EA SPORTS FC 25", 4999, 6999),
	it("Call of Duty: Black Ops 6", 6999, 6999), it("Hogwarts Legacy", 2999, 5999),
	it("The Legend of Zelda: Tears of the Kingdom", 6999, 6999), it("Mario Kart 8 Deluxe", 5999, 5999),
	it("Stardew Valley", 1499, 1499), it("Minecraft", 2999, 2999), it("Cyberpunk 2077: Ultimate Edition", 4999, 5999),
	it("Helldivers 2", 3999, 3999), it("Hades II", 2999, 2999), it("$25 %s Store Gift Card", 2500, 2500),
}

var robloxItems = []item{
	it("800 Robux", 999, 999), it("1,700 Robux", 1999, 1999), it("4,500 Robux", 4999, 4999), it("10,000 Robux", 9999, 9999),
}

var ticketItems = []item{
	it("Taylor Swift | The Eras Tour - Section 112, Row 8", 19900, 89900),
	it("New York Yankees vs. Boston Red Sox - Field Level", 8500, 24900),
	it("Hamilton (NY) - Orchestra", 15900, 39900), it("Golden State Warriors vs. Los Angeles Lakers - Lower Level", 12000, 45000),
	it("Coldplay: Music of the Spheres World Tour - Floor GA", 14000, 32000),
	it("Kansas City Chiefs vs. Buffalo Bills - Upper Level", 18000, 60000),
	it("Bad Bunny: Most Wanted Tour - Lower Bowl", 16000, 48000), it("Event Parking Pass", 3000, 6000),
}

var movieItems = []item{
	it("Dune: Part Two - IMAX", 1899, 2399), it("Inside Out 2 - Standard", 1299, 1599),
	it("Deadpool & Wolverine - Dolby Cinema", 1999, 2399), it("Wicked - Laser at AMC", 1599, 1899),
	it("Large Popcorn", 899, 1049), it("Large Fountain Drink", 699, 799), it("Candy - Peanut M&M's", 599, 649),
}

var fitnessItems = []item{
	it("%s monthly membership dues", 1500, 4400), it("%s annual fee", 4900, 4900),
	it("Personal training session", 6500, 9000), it("10-class pack", 18000, 25000),
	it("%s heart rate band", 4900, 4900), it("%s water bottle", 1500, 2500),
}

var streamingItems = []item{
	it("%s Standard plan", 1549, 1799), it("%s Premium plan", 2299, 2499), it("%s Basic with ads", 799, 999),
	it("%s monthly subscription", 999, 1599),
}

var musicItems = []item{
	it("%s Premium Individual", 1099, 1199), it("%s Premium Family", 1699, 1999), it("%s Premium Duo", 1499, 1699),
}

var telecomItems = []item{
	it("Monthly wireless service - Unlimited plan", 6500, 18000),
	it("Device payment - iPhone 15 (installment)", 2777, 4167),
	it("Device payment - Samsung Galaxy S24 (installment)", 2222, 3333),
	it("Device protection", 1700, 1800), it("International day pass", 1000, 1200),
}

var internetItems = []item{
	it("%s Internet - monthly service", 5000, 8999), it("WiFi gateway equipment rental", 1400, 1500),
	it("Unlimited data add-on", 3000, 3000),
}

var energyItems = []item{
	it("Electric service", 6000, 24000), it("Gas service", 2500, 12000), it("Late payment charge", 500, 1500),
}

var softwareItems = []item{
	it("%s Pro - monthly", 999, 2999), it("%s - annual plan", 5999, 11999), it("%s additional storage", 199, 999),
	it("%s Business - per seat", 1200, 2200),
}

var membershipItems = []item{
	it("%s membership", 799, 2500), it("%s annual membership", 7999, 14999), it("%s gift membership", 2500, 5000),
}
