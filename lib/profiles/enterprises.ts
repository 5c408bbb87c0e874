// Who a sysObjectID belongs to: the IANA private enterprise number after 1.3.6.1.4.1 names the
// vendor even when no profile knows the device, so a refusal can say whose device it is.

const ENTERPRISES = '1.3.6.1.4.1.';

/** IANA enterprise number -> vendor, for the PDU and UPS makers an operator is likely to meet. */
const VENDORS: Record<string, string> = {
  318: 'APC (Schneider Electric)',
  534: 'Eaton (Powerware)',
  705: 'Eaton (MGE UPS Systems)',
  850: 'Tripp Lite',
  1718: 'Server Technology',
  3808: 'CyberPower',
  8072: 'Net-SNMP, a general-purpose agent',
  10418: 'Avocent',
  13742: 'Raritan',
  17373: 'Eaton (Aphel ePDU)',
  19536: 'Panduit',
  20677: 'Eaton (Pulizzi ePDU)',
  21239: 'Vertiv Geist',
};

/** The enterprise number of a sysObjectID (`318` for 1.3.6.1.4.1.318.1.3.4.6), or undefined. */
export function enterpriseOf(sysObjectID: string): string | undefined {
  const oid = sysObjectID.replace(/^\./, '');
  if (!oid.startsWith(ENTERPRISES)) return undefined;
  return oid.slice(ENTERPRISES.length).split('.')[0] || undefined;
}

/** `enterprise 318 (APC (Schneider Electric))`, `enterprise 99999` for one we do not know, '' without one. */
export function enterpriseText(sysObjectID: string): string {
  const enterprise = enterpriseOf(sysObjectID);
  if (!enterprise) return '';
  return VENDORS[enterprise] ? `enterprise ${enterprise} (${VENDORS[enterprise]})` : `enterprise ${enterprise}`;
}
