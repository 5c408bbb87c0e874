// The part of net-snmp 3.x this package uses, written against its index.js (the published
// @types/net-snmp leave the agent, receiver and module store untyped).
declare module 'net-snmp' {
  import { EventEmitter } from 'events';

  export const Version1: 0;
  export const Version2c: 1;
  export const Version3: 3;
  export type Version = 0 | 1 | 3;

  export enum ObjectType {
    Boolean = 1, Integer = 2, BitString = 3, OctetString = 4, Null = 5, OID = 6, IpAddress = 64,
    Counter = 65, Gauge = 66, TimeTicks = 67, Opaque = 68, Integer32 = 2, Counter32 = 65, Gauge32 = 66,
    Unsigned32 = 66, Counter64 = 70, NoSuchObject = 128, NoSuchInstance = 129, EndOfMibView = 130,
  }
  export enum ErrorStatus {
    NoError = 0, TooBig, NoSuchName, BadValue, ReadOnly, GeneralError, NoAccess, WrongType,
    WrongLength, WrongEncoding, WrongValue, NoCreation, InconsistentValue, ResourceUnavailable,
    CommitFailed, UndoFailed, AuthorizationError, NotWritable, InconsistentName,
  }
  export enum PduType {
    GetRequest = 160, GetNextRequest = 161, GetResponse = 162, SetRequest = 163, Trap = 164,
    GetBulkRequest = 165, InformRequest = 166, TrapV2 = 167, Report = 168,
  }
  export enum TrapType { ColdStart = 0, WarmStart, LinkDown, LinkUp, AuthenticationFailure, EgpNeighborLoss, EnterpriseSpecific }
  export enum SecurityLevel { noAuthNoPriv = 1, authNoPriv = 2, authPriv = 3 }
  export enum AuthProtocols { none = 1, md5 = 2, sha = 3, sha224 = 4, sha256 = 5, sha384 = 6, sha512 = 7 }
  export enum PrivProtocols { none = 1, des = 2, aes = 4, aes256b = 6, aes256r = 8 }
  export enum AccessControlModelType { None = 0, Simple = 1 }
  export enum AccessLevel { None = 0, ReadOnly = 1, ReadWrite = 2 }
  export enum MibProviderType { Scalar = 1, Table = 2 }
  export const MaxAccess: Record<'not-accessible' | 'accessible-for-notify' | 'read-only' | 'read-write' | 'read-create', number>;
  export enum ResponseInvalidCode {
    EIp4AddressSize = 1, EUnknownObjectType, EUnknownPduType, ECouldNotDecrypt, EAuthFailure,
    EReqResOidNoMatch, EOutOfOrder = 8, EVersionNoMatch, ECommunityNoMatch, EUnexpectedReport,
    EResponseNotHandled, EUnexpectedResponse, ENotInTimeWindow, EBadVarbindList,
  }
  export const OidFormat: { oid: 'oid'; path: 'path'; module: 'module' };

  export interface Varbind {
    oid: string;
    type?: ObjectType;
    value?: unknown;
  }

  export interface User {
    name: string;
    level: SecurityLevel;
    authProtocol?: AuthProtocols;
    authKey?: string;
    privProtocol?: PrivProtocols;
    privKey?: string;
  }

  export interface SessionOptions {
    port?: number;
    retries?: number;
    timeout?: number;
    version?: Version;
    transport?: 'udp4' | 'udp6';
    trapPort?: number;
    idBitsSize?: 16 | 32;
    backwardsGetNexts?: boolean;
    engineID?: string | Buffer;
    context?: string;
    sourceAddress?: string;
    sourcePort?: number;
  }

  export type VarbindsCallback = (error: Error | null, varbinds: Varbind[]) => void;

  export class Session extends EventEmitter {
    get(oids: string[], callback: VarbindsCallback): void;
    getNext(oids: string[], callback: VarbindsCallback): void;
    getBulk(oids: string[], nonRepeaters: number, maxRepetitions: number, callback: VarbindsCallback): void;
    set(varbinds: Varbind[], callback: VarbindsCallback): void;
    table(oid: string, maxRepetitions: number, callback: (error: Error | null, table: Record<string, Record<string, unknown>>) => void): void;
    walk(oid: string, maxRepetitions: number, feed: (varbinds: Varbind[]) => boolean | void, done: (error: Error | null) => void): void;
    trap(typeOrOid: TrapType | string, varbinds: Varbind[], agentAddrOrOptions: string | { agentAddr?: string; upTime?: number }, callback: (error: Error | null) => void): void;
    trap(typeOrOid: TrapType | string, varbinds: Varbind[], callback: (error: Error | null) => void): void;
    inform(typeOrOid: TrapType | string, varbinds: Varbind[], options: { upTime?: number }, callback: (error: Error | null, varbinds: Varbind[]) => void): void;
    inform(typeOrOid: TrapType | string, varbinds: Varbind[], callback: (error: Error | null, varbinds: Varbind[]) => void): void;
    close(): void;
  }

  export function createSession(target: string, community: string, options?: SessionOptions): Session;
  export function createV3Session(target: string, user: User, options?: SessionOptions): Session;
  export function isVarbindError(varbind: Varbind): boolean;
  export function varbindError(varbind: Varbind): string;

  export class RequestFailedError extends Error { status: number }
  export class RequestTimedOutError extends Error {}
  export class RequestInvalidError extends Error {}
  export class ResponseInvalidError extends Error { code: ResponseInvalidCode }
  export class ProcessingError extends Error { rinfo?: { address: string; port: number }; buffer?: Buffer; error?: Error }

  export interface MibRequest {
    operation: PduType;
    oid: string;
    setValue?: unknown;
    setType?: ObjectType;
    /** Set during the second (commit) pass of a SetRequest; the first pass only tests. */
    commitSet?: boolean;
    instanceNode: { value: unknown };
    done(error?: { errorStatus: ErrorStatus }): void;
  }

  export interface ProviderDefinition {
    name: string;
    type: MibProviderType;
    oid: string;
    maxAccess: number;
    scalarType?: ObjectType;
    tableColumns?: Array<{ number: number; name: string; type: ObjectType; maxAccess: number; constraints?: unknown; defVal?: unknown }>;
    tableIndex?: Array<{ columnName: string; foreign?: string; implied?: boolean; length?: number }>;
    tableAugments?: string;
    handler?: (request: MibRequest) => void;
    defVal?: unknown;
  }

  export interface Mib {
    registerProvider(definition: ProviderDefinition): void;
    getProviders(): Record<string, ProviderDefinition>;
    setScalarValue(name: string, value: unknown): void;
    getScalarValue(name: string): unknown;
    addTableRow(name: string, row: unknown[]): void;
    setTableSingleCell(name: string, column: number, rowIndex: unknown[], value: unknown): void;
    getTableSingleCell(name: string, column: number, rowIndex: unknown[]): unknown;
    deleteTableRow(name: string, rowIndex: unknown[]): void;
  }

  export interface SimpleAccessControlModel {
    setCommunityAccess(community: string, level: AccessLevel): void;
    setUserAccess(user: string, level: AccessLevel): void;
  }

  export interface Authorizer {
    addCommunity(community: string): void;
    deleteCommunity(community: string): void;
    getCommunities(): string[];
    addUser(user: User): void;
    deleteUser(name: string): void;
    getUsers(): User[];
    getAccessControlModel(): SimpleAccessControlModel;
  }

  export interface AgentOptions {
    port?: number;
    address?: string | null;
    transport?: 'udp4' | 'udp6';
    disableAuthorization?: boolean;
    accessControlModelType?: AccessControlModelType;
    engineID?: string;
  }

  export interface Agent {
    getMib(): Mib;
    getAuthorizer(): Authorizer;
    close(callback?: () => void): void;
  }

  export function createAgent(options: AgentOptions, callback: (error: Error | null, data?: unknown) => void, mib?: Mib): Agent;

  export interface ReceivedNotification {
    pdu: {
      type: PduType;
      id: number;
      varbinds: Varbind[];
      enterprise?: string;
      agentAddr?: string;
      generic?: number;
      specific?: number;
      upTime?: number;
      contextName?: string;
    };
    rinfo: { address: string; family: string; port: number; size: number };
    /** Community (v1/v2c) or security parameters (v3) the notification carried. */
    [key: string]: unknown;
  }

  export interface ReceiverOptions {
    port?: number;
    address?: string | null;
    transport?: 'udp4' | 'udp6';
    disableAuthorization?: boolean;
    includeAuthentication?: boolean;
    engineID?: string;
    sockets?: Array<{ transport: 'udp4' | 'udp6'; address?: string; port: number }>;
  }

  export interface Receiver {
    getAuthorizer(): Authorizer;
    close(callback?: () => void): void;
  }

  export function createReceiver(options: ReceiverOptions, callback: (error: Error | null, notification?: ReceivedNotification) => void): Receiver;

  export interface ModuleStore {
    loadFromFile(path: string): void;
    getModule(name: string): Record<string, { NAME?: string; OID?: string; MACRO?: string; [key: string]: unknown }>;
    getModuleNames(includeBase?: boolean): string[];
    getProvidersForModule(name: string): ProviderDefinition[];
    translate(oid: string, format: 'oid' | 'path' | 'module'): string;
  }

  export function createModuleStore(options?: Record<string, unknown>): ModuleStore;
}
